package io.servicescluster.remote.data;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one timer thread of the data plane ("sc-data-timer", platform daemon): every
 * {@value #TICK_MILLIS} ms it asks each registered {@link Timed} to expire what is due (request
 * timeouts, handshake deadlines). A request therefore costs no timer task of its own: a
 * connection keeps the earliest deadline of its pending requests and looks at them only when that
 * one is due. Started on first use.
 */
final class DataTimer implements Runnable {

    static final long TICK_MILLIS = 10;
    private static final long BASE = System.nanoTime();

    /** Something with deadlines. */
    interface Timed {
        /** Expires what is due at {@code now}; returns false once it needs no more ticks. */
        boolean tick(long now);
    }

    private final CopyOnWriteArrayList<Timed> timed = new CopyOnWriteArrayList<>();
    private volatile boolean started;

    /** Monotonic time in nanoseconds, never negative: the unit of every deadline here. */
    static long now() {
        return System.nanoTime() - BASE;
    }

    /** A deadline {@code nanos} from now, saturated. */
    static long deadline(long nanos) {
        long now = now();
        return nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    }

    void register(Timed item) {
        timed.add(item);
        if (!started) {
            synchronized (this) {
                if (!started) {
                    DirectDataPlane.daemon(this, "sc-data-timer", Thread.currentThread().getContextClassLoader());
                    started = true;
                }
            }
        }
    }

    @Override
    public void run() {
        for (;;) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = now();
            for (Timed item : timed) {
                try {
                    if (!item.tick(now)) {
                        timed.remove(item);
                    }
                } catch (RuntimeException e) {
                    timed.remove(item);
                }
            }
        }
    }
}
