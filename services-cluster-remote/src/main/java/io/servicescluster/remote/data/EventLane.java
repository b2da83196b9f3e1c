package io.servicescluster.remote.data;

import io.servicescluster.protocol.DataMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the event handlers of one connection, one event after another in arrival order, on one
 * virtual thread of its own ("sc-events"), so that a handler may block (even on a request to the
 * same peer) without stopping the connection's reader.
 *
 * <p>The reader hands events over in batches ({@link #addAll}); the queue holds at most
 * {@value #LIMIT_BYTES} bytes of payload: beyond that the reader waits, so a sender that outruns
 * the handlers meets backpressure through the socket. Nothing is dropped.
 */
final class EventLane implements Runnable {

    /** Delivers one event; exceptions are reported as uncaught and the lane goes on. */
    interface Sink {
        void deliver(DataMessage event);
    }

    static final long LIMIT_BYTES = 16L * 1024 * 1024;
    private static final int ITEM_WEIGHT = 64;

    private final Sink sink;
    private final ClassLoader loader;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<DataMessage> queue = new ArrayDeque<>();
    private long queuedBytes;       // guarded by lock
    private boolean closed;         // guarded by lock
    private Thread thread;          // guarded by lock

    EventLane(Sink sink, ClassLoader loader) {
        this.sink = sink;
        this.loader = loader;
    }

    /** Queues a batch of events (reader thread); waits while the queue is over its limit. */
    void addAll(List<DataMessage> events, long bytes) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && queuedBytes > 0 && queuedBytes + bytes > LIMIT_BYTES) {
                room.await();
            }
            if (thread == null) {
                thread = Thread.ofVirtual().name("sc-events").unstarted(this);
                thread.setContextClassLoader(loader);
                thread.start();
            }
            queue.addAll(events);
            queuedBytes += bytes;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Lets the lane end once it ran what is queued. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signal();
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The weight of one event in the queue's budget. */
    static long weight(byte[] payload) {
        return ITEM_WEIGHT + payload.length;
    }

    @Override
    public void run() {
        List<DataMessage> batch = new ArrayList<>();
        for (;;) {
            long bytes = 0;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    notEmpty.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                for (DataMessage event; (event = queue.pollFirst()) != null; ) {
                    batch.add(event);
                }
            } finally {
                lock.unlock();
            }
            for (DataMessage event : batch) {
                bytes += weight(payload(event));
                deliver(event);
            }
            batch.clear();
            lock.lock();
            try {
                queuedBytes -= bytes;
                room.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    private void deliver(DataMessage event) {
        try {
            sink.deliver(event);
        } catch (Throwable failure) {
            Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
            if (handler != null) {
                handler.uncaughtException(Thread.currentThread(), failure);
            }
        }
    }

    private static byte[] payload(DataMessage event) {
        if (event instanceof DataMessage.Event e) {
            return e.payload();
        }
        return ((DataMessage.Published) event).payload();
    }
}
