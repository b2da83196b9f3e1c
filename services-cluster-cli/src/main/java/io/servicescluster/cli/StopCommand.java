package io.servicescluster.cli;

import io.servicescluster.protocol.Durations;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code svc stop [NAME]}: closes one service after its dependents (R7) and keeps it down, or
 * closes the whole cluster in order; waits until done.
 */
@Command(name = "stop", description = "Stops one service (its dependents first) or, without NAME, the whole cluster.")
final class StopCommand extends OpsCommand {

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "the service; all of them when absent")
    String service;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationOption.class,
            description = "how long to wait for the close (default 2m)")
    Duration limit;

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        if (service == null) {
            client.stop(Optional.empty());
            Optional<ProcessHandle> process = ProcessHandle.of(manager.pid());
            try {
                if (process.isPresent()) {
                    process.get().onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (TimeoutException e) {
                return fail("cluster '" + manager.cluster() + "' is still closing after " + Durations.format(limit));
            }
            out().println("stopped cluster " + manager.cluster());
            out().flush();
            return 0;
        }
        List<ServiceStatus> before = requireService(manager, client, service);
        client.stop(Optional.of(service));
        List<ServiceStatus> after;
        try {
            after = Waiting.until(client, limit, all -> all.stream()
                    .filter(s -> s.name().equals(service)).allMatch(s -> !s.state().isActive() && !s.state().isBusy()));
        } catch (IOException e) {
            out().println("stopped " + service + " (the cluster ended with it)");
            out().flush();
            return 0;
        } catch (TimeoutException e) {
            return fail(service + " is still closing after " + Durations.format(limit));
        }
        List<String> alsoClosed = before.stream().filter(s -> s.state().isActive() && !s.name().equals(service))
                .filter(s -> after.stream().anyMatch(a -> a.name().equals(s.name()) && !a.state().isActive()))
                .map(ServiceStatus::name).toList();
        out().println("stopped " + service + (alsoClosed.isEmpty() ? "" : " (and its dependents: "
                + String.join(", ", alsoClosed) + ")"));
        out().flush();
        return 0;
    }
}
