package io.servicescluster.cli;

import io.servicescluster.core.ops.ControlClient;
import io.servicescluster.core.ops.ManagerInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code svc top}: the table of {@code svc ps}, redrawn every interval on a terminal until Ctrl-C
 * or the cluster ends; printed once when not on a terminal.
 */
@Command(name = "top", description = "Shows the services of a running cluster live (Ctrl-C to quit); "
        + "prints the table once when not on a terminal.")
final class TopCommand extends OpsCommand {

    private static final String CLEAR = "\u001b[H\u001b[2J";

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationOption.class,
            description = "time between refreshes (default 1s)")
    Duration every;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", description = "stop after N refreshes")
    Integer iterations;

    @Override
    int run(ManagerInfo manager, ControlClient client) throws Exception {
        boolean live = Terminal.interactive();
        int limit = iterations != null ? iterations : live ? Integer.MAX_VALUE : 1;
        PrintWriter out = out();
        try (QuitOnInterrupt quit = QuitOnInterrupt.install()) {
            show(manager, client, every, live, limit, out);
        } catch (InterruptedException e) {
            out.println();
            out.flush();
        }
        return 0;
    }

    /** Prints the table {@code limit} times, {@code every} apart; Ctrl-C interrupts the wait. */
    private static void show(ManagerInfo manager, ControlClient client, Duration every, boolean live, int limit,
            PrintWriter out) throws InterruptedException {
        for (int i = 0; i < limit; i++) {
            if (i > 0) {
                Thread.sleep(every.toMillis());
            }
            String table;
            try {
                table = StatusTable.render(client.status(), Instant.now());
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("Ctrl-C"); // the socket was closed by the interrupt
                }
                out.println("cluster '" + manager.cluster() + "' ended");
                out.flush();
                return;
            }
            out.print((live ? CLEAR : "") + "svc top: cluster " + manager.cluster() + " (pid " + manager.pid() + ")  "
                    + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + (live ? "  Ctrl-C to quit" : "") + "\n\n" + table);
            if (!live && i < limit - 1) {
                out.println();
            }
            out.flush();
        }
    }
}
