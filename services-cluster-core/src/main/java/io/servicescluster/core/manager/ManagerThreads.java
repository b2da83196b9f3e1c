package io.servicescluster.core.manager;

import io.servicescluster.core.compile.SourceCompilations;
import io.servicescluster.protocol.Capabilities;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A manager's threads: the one that decides ({@code svc-decisions}), a virtual thread per piece
 * of slow work ({@code svc-work-N}: making, launching, destroying containers) and the timer
 * thread ({@code svc-timers}: timeouts, backoffs and the controllers' heartbeats). With the
 * system clock and fresh capability keys they are the decision loop's ports in real life.
 */
final class ManagerThreads {

    private final ExecutorService loop =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("svc-decisions").factory());
    private final ExecutorService work =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("svc-work-", 0).factory());
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("svc-timers").factory());

    /**
     * The loop's ports on these threads, with controllers that keep {@code liveness} and ship
     * source services compiled by {@code compilations}.
     */
    LoopPorts ports(Liveness liveness, ListenerDispatch listeners, SourceCompilations compilations) {
        return new LoopPorts(InstantSource.system(), loop, work, Timers.on(timers),
                new ControllerSessions(timers, liveness, compilations), Capabilities::newKey, listeners, e -> { });
    }

    /** Lets the loop finish its task and the work under way go on; cancels the timers. Returns at once. */
    void shutdown() {
        loop.shutdown();
        timers.shutdownNow();
        work.shutdown();
    }
}
