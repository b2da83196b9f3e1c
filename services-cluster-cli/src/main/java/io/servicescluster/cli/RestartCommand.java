package io.servicescluster.cli;

import io.servicescluster.core.config.Durations;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code svc restart NAME}: closes the service and its dependents in order, starts them again in
 * order (or starts it if it is down), and waits until it runs.
 */
@Command(name = "restart", description = "Restarts one service: its dependents close first and start again after it.")
final class RestartCommand extends OpsCommand {

    @Parameters(paramLabel = "NAME", description = "the service")
    String service;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "how long to wait until it runs again (default 2m)")
    String timeout;

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        Duration limit = Durations.parse(timeout);
        int startsBefore = find(requireService(manager, client, service)).starts();
        client.restart(service);
        ServiceStatus now;
        try {
            now = find(Waiting.until(client, limit, all -> {
                ServiceStatus s = find(all);
                return s.starts() > startsBefore && (s.state() == ServiceState.RUNNING
                        || s.state() == ServiceState.CLOSED && s.problem().isPresent());
            }));
        } catch (IOException e) {
            return fail("the cluster ended while " + service + " restarted");
        } catch (TimeoutException e) {
            return fail(service + " is not running again after " + timeout);
        }
        if (now.state() != ServiceState.RUNNING) {
            return fail(service + " did not start again: " + now.problem().orElse(now.state().toString()));
        }
        out().println("restarted " + service + (now.pid().isPresent() ? " (pid " + now.pid().getAsLong() + ")" : ""));
        out().flush();
        return 0;
    }

    private ServiceStatus find(List<ServiceStatus> all) {
        return all.stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the cluster no longer has " + service));
    }
}
