package io.servicescluster.cli;

import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.ops.ControlClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Polls a cluster's status until a condition holds, for commands that wait for their effect. */
final class Waiting {

    private static final long POLL_MILLIS = 100;

    private Waiting() {
    }

    /**
     * The first status list that satisfies {@code done}.
     *
     * @throws TimeoutException if none did within {@code limit}
     * @throws IOException if the manager went away
     */
    static List<ServiceStatus> until(ControlClient client, Duration limit, Predicate<List<ServiceStatus>> done)
            throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<ServiceStatus> status = client.status();
            if (done.test(status)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException();
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
