package io.servicescluster.core.manager;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The decision loop's timers (start, close and backoff timeouts): real ones on a scheduler
 * thread, or virtual ones in a simulation. A task runs on the timer's thread and posts its input
 * to the loop; it never decides by itself.
 */
interface Timers {

    /** Runs {@code task} once, {@code delay} from now, unless cancelled. */
    Timer after(Duration delay, Runnable task);

    /** A pending task; cancelling one that ran or was cancelled does nothing. */
    interface Timer {
        void cancel();
    }

    /** Timers on {@code scheduler}. */
    static Timers on(ScheduledExecutorService scheduler) {
        return (delay, task) -> {
            var future = scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
