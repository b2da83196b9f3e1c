package io.servicescluster.core.manager;

import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events, output lines and exception reports to the {@link ClusterListener}s, off the
 * decision loop: a slow listener (a terminal, a disk) never delays a decision. Everything goes
 * through one queue to one thread, so listeners see events in {@code seq} order and each
 * service's output in its order, interleaved with the events as they came. Output waits for room
 * when {@link #OUTPUT_BACKLOG} lines are queued (a flood of output slows its service, not the
 * manager); events never wait. A failing listener is logged, not fatal.
 */
final class ListenerDispatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ListenerDispatch.class);
    /** Output lines queued at most; more wait. */
    static final int OUTPUT_BACKLOG = 10_000;
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final List<ClusterListener> listeners;
    private final BlockingQueue<Runnable> queue;
    private final Semaphore outputRoom = new Semaphore(OUTPUT_BACKLOG);
    private final Thread thread;
    /** Once closed, what comes (late output of a remote being killed) is dropped. */
    private volatile boolean closed;

    private ListenerDispatch(List<ClusterListener> listeners, boolean ownThread) {
        this.listeners = List.copyOf(listeners);
        this.queue = ownThread ? new LinkedBlockingQueue<>() : null;
        this.thread = ownThread ? Thread.ofPlatform().daemon().name("svc-listeners").start(this::deliver) : null;
    }

    /** Delivers on a thread of its own. */
    static ListenerDispatch onOwnThread(List<ClusterListener> listeners) {
        return new ListenerDispatch(listeners, true);
    }

    /** Delivers on the caller's thread, at once: for a simulation, whose loop is its only thread. */
    static ListenerDispatch inline(List<ClusterListener> listeners) {
        return new ListenerDispatch(listeners, false);
    }

    void event(ServiceEvent event) {
        enqueue(() -> each(l -> l.onEvent(event), event));
    }

    void output(String service, OutputStream stream, String line) {
        if (queue != null && !closed) {
            outputRoom.acquireUninterruptibly();
        }
        enqueue(() -> {
            outputRoom.release();
            each(l -> l.onOutput(service, stream, line), service);
        });
    }

    void exception(String service, ExceptionReport report) {
        enqueue(() -> each(l -> l.onException(service, report), service));
    }

    /**
     * Completes {@code future} once every listener has seen what was handed over before it. Not
     * on the listener thread: whatever waits on the future (a {@code thenRun} that closes the
     * manager) must not hold up the listeners, nor wait for them from their own thread.
     */
    void complete(CompletableFuture<Void> future) {
        if (queue == null) {
            enqueue(() -> future.complete(null));
        } else {
            enqueue(() -> Thread.ofVirtual().name("svc-decided").start(() -> future.complete(null)));
        }
    }

    private void enqueue(Runnable delivery) {
        if (closed) {
            return;
        }
        if (queue == null) {
            delivery.run();
        } else {
            queue.add(delivery);
        }
    }

    private void each(java.util.function.Consumer<ClusterListener> call, Object about) {
        for (ClusterListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("a cluster listener failed on {}", about, e);
            }
        }
    }

    private void deliver() {
        try {
            while (true) {
                Runnable next = queue.take();
                if (next == STOP) {
                    return;
                }
                next.run();
            }
        } catch (InterruptedException e) {
            // closed without draining
        }
    }

    private static final Runnable STOP = () -> { };

    /** Delivers what is queued (within a few seconds), then ends the thread. */
    @Override
    public void close() {
        if (thread != null && !closed) {
            queue.add(STOP);
            closed = true;
            outputRoom.release(OUTPUT_BACKLOG); // no writer waits for room that never comes
            if (Thread.currentThread() == thread) {
                return; // a listener closed the manager: the thread ends once it returns
            }
            try {
                if (!thread.join(DRAIN)) {
                    log.warn("cluster listeners still busy after {}; the rest is not delivered", DRAIN);
                    thread.interrupt();
                }
            } catch (InterruptedException e) {
                thread.interrupt();
                Thread.currentThread().interrupt();
            }
        }
    }
}
