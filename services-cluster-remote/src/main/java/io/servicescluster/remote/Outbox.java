package io.servicescluster.remote;

import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.FrameTooLargeException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of the control channel: callers queue messages, the sender thread writes them in
 * queue order, so output written before {@code Started} or {@code Closed} arrives before it.
 *
 * <p>Threading: {@link #send} and {@link #offer} may be called from any thread, virtual ones
 * included (a {@link ReentrantLock}, no monitors). The sender is one platform daemon thread that
 * runs {@link #run}. Nothing here blocks a service for long: lifecycle messages ({@link #send})
 * are never refused while the channel works; output and samples ({@link #offer}) wait at most
 * {@value #OFFER_WAIT_MILLIS} ms for room and are then dropped and counted. Once the channel is
 * broken, everything is dropped at once and the runtime is told through {@link RemoteRuntime#connectionLost}.
 */
final class Outbox implements Runnable, LineOutputStream.Sink {

    /** Queue budget in weight units (about characters): bounds memory while the controller lags. */
    private static final long CAPACITY = 4L * 1024 * 1024;
    private static final long OFFER_WAIT_MILLIS = 200;
    private static final long SHUTDOWN_WAIT_MILLIS = 1000;

    private final ControlChannel channel;
    private final RemoteRuntime runtime;
    private final PrintStream diagnostics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ControlMessage> queue = new ArrayDeque<>();
    private long queuedWeight;       // guarded by lock
    private boolean broken;          // guarded by lock
    private boolean congested;       // guarded by lock: dropping until the queue drains to half
    private long dropped;            // guarded by lock
    private long droppedUnreported;  // guarded by lock
    private long queued;             // guarded by lock: messages queued ever
    private long written;            // guarded by lock: messages taken and written (or given up on) ever
    private boolean callerWriting;   // guarded by lock: a caller of sendNow writes; the sender waits
    private volatile boolean shutdown; // the JVM is exiting: each message is waited for until written

    Outbox(ControlChannel channel, RemoteRuntime runtime, PrintStream diagnostics) {
        this.channel = channel;
        this.runtime = runtime;
        this.diagnostics = diagnostics;
    }

    /**
     * Queues a lifecycle message; never blocks (but after {@link #shutdown}), dropped only if the
     * channel is broken.
     */
    void send(ControlMessage message) {
        lock.lock();
        try {
            if (broken) {
                dropped++;
                return;
            }
            enqueue(message);
            awaitWrittenIfShuttingDown();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code message} from the calling thread if nothing is queued or being written, instead
     * of waking the sender: {@code Closed} is a step of R9's cascade, where each hand-off between
     * threads costs the next close a wake-up (measured: 0.3 ms, and ms while another remote exits
     * beside it); {@code Started} is the last step of every start (a restart on a spare of the
     * warm pool is ~3 ms from {@code starting} to {@code running}). Messages queued meanwhile wait behind it. With messages still queued it is queued
     * behind them, as by {@link #send}. The write may block on a controller that does not read.
     *
     * @return whether it was written here (false: queued, or dropped on a broken channel)
     */
    boolean sendNow(ControlMessage message) {
        lock.lock();
        try {
            if (broken) {
                dropped++;
                return false;
            }
            if (callerWriting || written < queued) {
                enqueue(message);
                return false;
            }
            queued++;
            callerWriting = true;
        } finally {
            lock.unlock();
        }
        try {
            channel.send(message);
            return true;
        } catch (FrameTooLargeException e) {
            tooLarge(message, e);
            return false;
        } catch (IOException e) {
            markBroken();
            runtime.connectionLost("sending to the controller failed: " + e);
            return false;
        } finally {
            lock.lock();
            try {
                callerWriting = false;
                written++;
                changed.signalAll();
                if (!queue.isEmpty()) {
                    notEmpty.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The JVM is exiting: from now on {@link #send} and {@link #offer} return only once their
     * message was written (at most {@value #SHUTDOWN_WAIT_MILLIS} ms each), since the sender, a
     * daemon thread, dies with the halt and would lose what is still queued.
     */
    void shutdown() {
        shutdown = true;
    }

    /** Under the lock, after an enqueue: while shutting down, waits until the sender wrote it. */
    private void awaitWrittenIfShuttingDown() {
        if (shutdown) {
            try {
                awaitWritten(queued, TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Under the lock: waits until {@code target} messages were written, the channel broke, or the time is up. */
    private boolean awaitWritten(long target, long nanos) throws InterruptedException {
        while (!broken && written < target && nanos > 0) {
            nanos = changed.awaitNanos(nanos);
        }
        return !broken && written >= target;
    }

    /**
     * Queues a message that may be lost (output, samples, uncaught exceptions).
     *
     * @param mayWait whether to wait up to {@value #OFFER_WAIT_MILLIS} ms for room
     * @return whether it was queued
     */
    boolean offer(ControlMessage message, boolean mayWait) {
        lock.lock();
        try {
            if (mayWait && !congested) {
                long nanos = TimeUnit.MILLISECONDS.toNanos(OFFER_WAIT_MILLIS);
                while (!broken && queuedWeight >= CAPACITY && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
            }
            if (broken || queuedWeight >= CAPACITY || (congested && queuedWeight > CAPACITY / 2)) {
                congested = !broken;
                dropped++;
                droppedUnreported++;
                return false;
            }
            congested = false;
            if (droppedUnreported > 0) {
                enqueue(new Output(OutputStream.STDERR, "[services-cluster: " + droppedUnreported
                        + " output lines or samples dropped: the controller did not keep up]"));
                droppedUnreported = 0;
            }
            enqueue(message);
            awaitWrittenIfShuttingDown();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped++;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Offers an output line, waiting a little for room if the controller lags. */
    @Override
    public void line(Output line) {
        offer(line, true);
    }

    /**
     * Waits until everything queued so far was written, or the channel broke, or the time is up.
     * Messages queued meanwhile are not waited for: a thread that keeps printing cannot hold up
     * the {@code Closed} that was queued before its lines.
     */
    boolean flush(long timeoutMillis) {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            return awaitWritten(queued, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** How many messages were dropped so far. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The sender loop: runs until the channel breaks. */
    @Override
    public void run() {
        for (;;) {
            ControlMessage message = take();
            if (message == null) {
                return;
            }
            try {
                channel.send(message);
            } catch (FrameTooLargeException e) {
                tooLarge(message, e);
            } catch (IOException e) {
                markBroken();
                runtime.connectionLost("sending to the controller failed: " + e);
                return;
            } finally {
                done();
            }
        }
    }

    private void tooLarge(ControlMessage message, FrameTooLargeException e) {
        diagnostics.println("services-cluster remote: dropped a " + message.getClass().getSimpleName()
                + " message: " + e.getMessage());
    }

    private ControlMessage take() {
        lock.lock();
        try {
            while (queue.isEmpty() || callerWriting) {
                notEmpty.await();
            }
            ControlMessage message = queue.pollFirst();
            queuedWeight -= weight(message);
            changed.signalAll();
            return message;
        } catch (InterruptedException e) {
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void done() {
        lock.lock();
        try {
            written++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void markBroken() {
        lock.lock();
        try {
            broken = true;
            dropped += queue.size();
            queue.clear();
            queuedWeight = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(ControlMessage message) {
        queued++;
        queue.addLast(message);
        queuedWeight += weight(message);
        notEmpty.signal();
    }

    private static long weight(ControlMessage message) {
        return message instanceof Output output ? 32 + output.line().length() : 64;
    }
}
