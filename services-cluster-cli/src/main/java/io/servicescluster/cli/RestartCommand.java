package io.servicescluster.cli;

import io.servicescluster.protocol.Durations;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code svc restart NAME}: closes the service and its dependents in order, starts them again in
 * order (or starts it if it is down), and waits until it and the dependents that ran before run
 * again — or says which did not, and why.
 */
@Command(name = "restart", description = "Restarts one service: its dependents close first and start again after it.")
final class RestartCommand extends OpsCommand {

    @Parameters(paramLabel = "NAME", description = "the service")
    String service;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationOption.class,
            description = "how long to wait until it runs again (default 2m)")
    Duration limit;

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        List<ServiceStatus> before = requireService(manager, client, service);
        // those running now are to run again: the service, and its dependents that close for it
        Map<String, Integer> watched = new LinkedHashMap<>();
        before.stream().filter(s -> s.state() == ServiceState.RUNNING || s.name().equals(service))
                .forEach(s -> watched.put(s.name(), s.starts()));
        client.restart(service);
        List<ServiceStatus> now;
        try {
            now = Waiting.until(client, limit, all -> settled(all, watched));
        } catch (IOException e) {
            return fail("the cluster ended while " + service + " restarted");
        } catch (TimeoutException e) {
            now = client.status();
        }
        ServiceStatus self = find(now, service).orElseThrow(() -> new IllegalStateException("the cluster no longer has " + service));
        if (!back(self, watched)) {
            return fail(service + " did not start again: " + why(self, limit));
        }
        List<String> notBack = new ArrayList<>();
        List<String> dependents = new ArrayList<>();
        for (ServiceStatus s : now) {
            if (!watched.containsKey(s.name()) || s.name().equals(service)) {
                continue;
            }
            if (!back(s, watched)) {
                notBack.add(s.name() + " (" + why(s, limit) + ")");
            } else if (s.starts() > watched.get(s.name())) {
                dependents.add(s.name());
            }
        }
        if (!notBack.isEmpty()) {
            return fail(service + " runs again, but not every dependent came back: " + String.join(", ", notBack));
        }
        out().println("restarted " + service + (self.pid().isPresent() ? " (pid " + self.pid().getAsLong() + ")" : "")
                + (dependents.isEmpty() ? "" : " and its dependents: " + String.join(", ", dependents)));
        out().flush();
        return 0;
    }

    /**
     * Whether the restart is over: the service runs again (a new start) or failed, and then every
     * other service that ran before runs (again) or failed on its new start. A service that
     * vanished (a child, R8) counts as settled.
     */
    private boolean settled(List<ServiceStatus> all, Map<String, Integer> watched) {
        Optional<ServiceStatus> self = find(all, service);
        if (self.isEmpty() || failed(self.get(), watched)) {
            return true;
        }
        return back(self.get(), watched) && watched.keySet().stream().map(name -> find(all, name))
                .flatMap(Optional::stream).allMatch(s -> back(s, watched) || failed(s, watched));
    }

    /** Running, and for the restarted service a start newer than the request. */
    private boolean back(ServiceStatus status, Map<String, Integer> watched) {
        return status.state() == ServiceState.RUNNING
                && (!status.name().equals(service) || status.starts() > watched.get(service));
    }

    /** Started anew and failed (or crashed) since. */
    private static boolean failed(ServiceStatus status, Map<String, Integer> watched) {
        return status.starts() > watched.get(status.name()) && !status.state().isActive()
                && status.problem().isPresent();
    }

    private static String why(ServiceStatus status, Duration limit) {
        return status.problem().map(p -> "failed: " + p)
                .orElse(status.state().toString().toLowerCase(Locale.ROOT) + " after " + Durations.format(limit));
    }

    private static Optional<ServiceStatus> find(List<ServiceStatus> all, String name) {
        return all.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
