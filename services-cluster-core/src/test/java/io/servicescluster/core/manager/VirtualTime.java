package io.servicescluster.core.manager;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;

/**
 * Virtual time for the simulation: one queue of tasks ordered by due time (ties in the order they
 * were queued), run one at a time on the caller's thread. The decision loop's posts, its work,
 * its timers and every simulated remote's answers are tasks here, so a run depends on its seed
 * alone and takes no wall-clock time.
 */
final class VirtualTime implements InstantSource {

    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private static final class Task implements Timers.Timer {
        final long due;
        final long order;
        final Runnable action;
        boolean cancelled;

        Task(long due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.order));
    private long now;
    private long queued;

    @Override
    public Instant instant() {
        return ORIGIN.plusNanos(now);
    }

    /** Time since the run began. */
    Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** Runs {@code action} {@code delay} from now (after what is already due then). */
    Timers.Timer after(Duration delay, Runnable action) {
        Task task = new Task(now + Math.max(0, delay.toNanos()), queued++, action);
        queue.add(task);
        return task;
    }

    /** Runs each task now, after what is due already: the decision loop's executor. */
    Executor now() {
        return action -> after(Duration.ZERO, action);
    }

    Timers timers() {
        return this::after;
    }

    /** Runs the next task that was not cancelled; false if none is left. */
    boolean step() {
        while (!queue.isEmpty()) {
            Task task = queue.poll();
            if (!task.cancelled) {
                now = task.due;
                task.action.run();
                return true;
            }
        }
        return false;
    }
}
