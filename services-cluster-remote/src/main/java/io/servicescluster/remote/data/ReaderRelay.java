package io.servicescluster.remote.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The platform threads that take turns reading one connection (leader/follower), so that the
 * thread which read a request can serve it itself, with no wake-up of another thread on the way
 * from the request to its reply (issue 14, item 5; docs/performance.md, "One request at one
 * outstanding: the hops"). Before it serves, the reader hands the reading on: to an idle thread
 * of the connection, woken, or to a new one — at most {@value #MAX_THREADS} in all; beyond that,
 * {@link #handOn} says no and the request goes to a virtual thread as before. The handler may
 * block as long as it likes: the connection is read on meanwhile. A thread that has served waits
 * to read again, at most {@value #MAX_IDLE} of them; the others end.
 *
 * <p>Exactly one thread reads at a time: the reading passes from one to the next through
 * {@link #handOn} (under the lock, then the next thread's {@code volatile} flag), which orders
 * everything the previous reader did before everything the next one does.
 */
final class ReaderRelay {

    /** Threads of one connection that read or serve; a busy dependent's other requests go to virtual threads. */
    static final int MAX_THREADS = 4;
    /** Threads that wait to read again: two take turns at one request outstanding. */
    static final int MAX_IDLE = 2;

    /** What a relay thread does when it reads: read and dispatch until it returns work to do itself, or null at the end. */
    interface Reading {
        Runnable read();
    }

    private final Reading reading;
    private final String name;
    private final ClassLoader loader;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Waiter> idle = new ArrayDeque<>(); // under lock
    private int threads = 1;                               // under lock: the first reader counts
    private boolean closed;                                // under lock

    ReaderRelay(Reading reading, String name, ClassLoader loader) {
        this.reading = reading;
        this.name = name;
        this.loader = loader;
    }

    /** A thread waiting to read again: woken with {@link #reads} set, or by the close. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile boolean reads;
    }

    /**
     * Called by the reader that will serve what it read: another thread reads from now on
     * (true), or none can (false: the caller reads on and serves elsewhere).
     */
    boolean handOn() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            Waiter next = idle.pollFirst();
            if (next != null) {
                next.reads = true;
                LockSupport.unpark(next.thread);
                return true;
            }
            if (threads >= MAX_THREADS) {
                return false;
            }
            threads++;
        } finally {
            lock.unlock();
        }
        try {
            DirectDataPlane.daemon(this::readThenServe, name, loader);
        } catch (Throwable noThread) { // "unable to create native thread": the service's pids limit, say
            end();
            return false;
        }
        return true;
    }

    /** The connection ended: the waiting threads end. */
    void close() {
        lock.lock();
        try {
            closed = true;
            idle.forEach(waiter -> LockSupport.unpark(waiter.thread));
            idle.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The life of every thread but the first: read, serve what it kept, wait to read again. */
    private void readThenServe() {
        for (;;) {
            Runnable own = reading.read();
            if (own == null) {
                end();
                return;
            }
            if (!serve(own)) {
                return;
            }
        }
    }

    /**
     * The first reader, once it has read the work it kept: does it, then waits to read again and
     * goes on as the others do.
     */
    void serveThenRead(Runnable own) {
        if (serve(own)) {
            readThenServe();
        }
    }

    /**
     * Does the work this thread kept, then waits to read again (true) or ends (false). What the
     * work left on the thread stays out of the next reading and serving, as it would have with a
     * virtual thread of its own: its context class loader is the service's again, an interrupt is
     * dropped ({@link #awaitReading}), and an exception ends the thread only after it left the count.
     */
    private boolean serve(Runnable own) {
        Thread thread = Thread.currentThread();
        try {
            own.run();
        } catch (Throwable thrown) {
            end();
            throw thrown;
        }
        if (thread.getContextClassLoader() != loader) {
            thread.setContextClassLoader(loader);
        }
        return awaitReading();
    }

    /**
     * Waits until this thread reads again (true), or ends it (false: enough wait already, or the
     * connection ended). An interrupt that came meanwhile (one the work left, or a late timeout
     * meant for it) is dropped: it would make this loop spin, and close the channel at the next read.
     */
    private boolean awaitReading() {
        Waiter waiter;
        lock.lock();
        try {
            if (closed || idle.size() >= MAX_IDLE) {
                threads--;
                return false;
            }
            waiter = new Waiter();
            idle.addFirst(waiter); // the latest to wait reads next: its stack and caches are the warmest
        } finally {
            lock.unlock();
        }
        while (!waiter.reads) {
            LockSupport.park(this);
            Thread.interrupted();
            lock.lock();
            try {
                if (closed && !waiter.reads) {
                    threads--;
                    return false;
                }
            } finally {
                lock.unlock();
            }
        }
        Thread.interrupted();
        return true;
    }

    private void end() {
        lock.lock();
        try {
            threads--;
        } finally {
            lock.unlock();
        }
    }
}
