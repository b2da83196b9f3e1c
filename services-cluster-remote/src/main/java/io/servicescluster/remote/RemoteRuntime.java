package io.servicescluster.remote;

import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.Probe;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.TlsCredentials;
import io.servicescluster.remote.data.DataEndpoint;
import io.servicescluster.remote.data.DataPlane;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The remote side of one service (the {@code RemoteService} of the spec), once {@code Hello} is
 * sent: captures output and uncaught exceptions, samples resources, obeys the controller, and
 * ends the process when told to or when the controller goes away (R11).
 *
 * <p>Threading model:
 * <ul>
 *   <li>the <b>reader</b> (the main thread) is the only reader of the channel; it dispatches each
 *       message and never runs user code, so heartbeats are read while the service blocks;
 *   <li>"service-start" and "service-close" are platform daemon threads that run the user's code
 *       (see {@link ServiceRunner}: a JVM's first virtual thread would cost start-up time); they
 *       may block freely;
 *   <li>the <b>sender</b> ({@link Outbox}) is the only writer of the channel; everyone else queues;
 *   <li>{@link StatsSampler} and {@link Watchdog} each have a platform daemon thread;
 *   <li>the data plane ({@link DataPlane}) has its own threads: a platform reader per
 *       connection, a virtual thread per request served, one virtual event thread per connection
 *       (events in order), and one timer thread for request timeouts.
 * </ul>
 * The process ends exactly once: {@link #claimExit} decides between the orderly exit after
 * {@code Closed} (status 0) and {@link #connectionLost} (status 1), whichever comes first.
 */
final class RemoteRuntime {

    static final long LOSS_CLOSE_MILLIS = 3000;
    private static final long FLUSH_MILLIS = 5000;
    private static final long LATE_OUTPUT_MILLIS = 500;

    private final ControlChannel channel;
    private final PrintStream diagnostics;
    private final Outbox outbox;
    private final ServiceRunner runner;
    private final AtomicBoolean exitClaimed = new AtomicBoolean();
    private final long startNanos;
    private LineOutputStream stdout;
    private LineOutputStream stderr;
    private Watchdog watchdog;

    /** @param tls this start's credentials (R17's {@code tls:} transport); null without */
    RemoteRuntime(ControlChannel channel, PrintStream diagnostics, long startNanos, DataEndpoint data,
            TlsCredentials tls) {
        this.startNanos = startNanos;
        this.channel = channel;
        this.diagnostics = diagnostics;
        this.outbox = new Outbox(channel, this, diagnostics);
        this.runner = new ServiceRunner(outbox, this, data, tls);
    }

    /** Installs capture and helper threads, then reads until the process ends; never returns normally. */
    void run(long watchdogMillis, long statsMillis) {
        daemon(outbox, "sc-remote-sender");
        stdout = new LineOutputStream(outbox, OutputStream.STDOUT);
        stderr = new LineOutputStream(outbox, OutputStream.STDERR);
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        Thread.setDefaultUncaughtExceptionHandler(new UncaughtReporter(outbox));
        Runtime.getRuntime().addShutdownHook(new Thread(new ExitReport(), "sc-remote-exit-report"));
        if (watchdogMillis > 0) {
            watchdog = new Watchdog(this, watchdogMillis);
            daemon(watchdog, "sc-remote-watchdog");
        }
        if (statsMillis > 0) {
            daemon(new StatsSampler(outbox, statsMillis, startNanos), "sc-remote-stats");
        }
        readLoop();
        parkUntilExit();
    }

    /** The reader's end: the thread that claimed the exit ends the process; main must not end it first. */
    private static void parkUntilExit() {
        for (;;) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep waiting: the exit is decided elsewhere
            }
        }
    }

    private void readLoop() {
        for (;;) {
            ControlMessage message;
            try {
                message = channel.receive();
            } catch (IOException e) {
                connectionLost("reading from the controller failed: " + e);
                return;
            }
            if (watchdog != null) {
                watchdog.frameArrived();
            }
            if (!dispatch(message)) {
                connectionLost("protocol violation: unexpected " + message.getClass().getSimpleName()
                        + " from the controller");
                return;
            }
        }
    }

    private boolean dispatch(ControlMessage message) {
        if (message instanceof Heartbeat) {
            outbox.send(message); // answered by the reader itself: a stuck reader goes unanswered
            return true;
        } else if (message instanceof PeerUp peer) {
            return runner.peerUp(peer);
        } else if (message instanceof SpawnResult result) {
            return runner.spawnResult(result);
        } else if (message instanceof Probe probe) {
            return runner.probe(probe);
        } else if (message instanceof Code code) {
            return runner.code(code);
        } else if (message instanceof Start) {
            return runner.start();
        } else if (message instanceof Close) {
            runner.close();
            return true;
        }
        return false;
    }

    /**
     * The service's close ended (on the close thread): sends the last partial lines and
     * {@code Closed}, flushes, and exits with status 0 unless the connection was lost meanwhile.
     */
    void closed(String error) {
        stdout.flushPartialLine();
        stderr.flushPartialLine();
        // Claim the exit before Closed goes out: the controller closes the connection as soon as
        // it reads Closed, and the reader must not take that expected end for a lost connection.
        if (!claimExit()) {
            return;
        }
        // written by this thread when nothing is queued, not handed to the sender: one wake-up less
        // on R9's path. Should the controller not read, the write waits (where the sender's flush
        // would give up after FLUSH_MILLIS) until the controller's close timeout kills this process
        // (R13) or its end breaks the pipe (R11)
        outbox.sendNow(new Closed(error));
        if (!outbox.flush(FLUSH_MILLIS)) {
            diagnostics.println("services-cluster remote: could not deliver every message before exiting");
        }
        // The controller reads on after Closed (to the end of the stream): what threads of the
        // service printed meanwhile goes out too, within a bound, as they may print forever.
        outbox.flush(LATE_OUTPUT_MILLIS);
        channel.close();
        reportDropped();
        daemon(new Halter(0, LOSS_CLOSE_MILLIS), "sc-remote-exit"); // in case a shutdown hook hangs
        System.exit(0);
    }

    /**
     * The controller is gone, stuck or broke the protocol (R11): says why on the original stderr,
     * closes a started service (at most {@value #LOSS_CLOSE_MILLIS} ms) and halts with status 1.
     * Any thread; only the first call (or an orderly exit already under way) counts.
     */
    void connectionLost(String reason) {
        if (!claimExit()) {
            return;
        }
        diagnostics.println("services-cluster remote: connection to the controller lost (" + reason
                + "); closing the service and exiting");
        channel.close();
        runner.closeForLoss(LOSS_CLOSE_MILLIS);
        reportDropped();
        diagnostics.flush();
        Runtime.getRuntime().halt(1);
    }

    private boolean claimExit() {
        return exitClaimed.compareAndSet(false, true);
    }

    private void reportDropped() {
        long dropped = outbox.dropped();
        if (dropped > 0) {
            diagnostics.println("services-cluster remote: " + dropped + " messages to the controller were dropped");
        }
    }

    static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A shutdown hook: whoever calls {@code System.exit} — the service, an application's code, or
     * this runtime — what the service printed reaches the controller before the JVM halts. Its queued
     * output and partial lines are flushed, and from here on every line is written before its
     * {@code println} returns ({@link Outbox#shutdown}), so what the other shutdown hooks print,
     * running alongside this one, is not lost either. The exit status itself the manager learns
     * from the process. Only {@code Runtime.halt} skips this, as it skips every hook.
     */
    private final class ExitReport implements Runnable {
        @Override
        public void run() {
            outbox.shutdown();
            if (stdout != null) {
                stdout.flushPartialLine();
                stderr.flushPartialLine();
            }
            outbox.flush(FLUSH_MILLIS);
        }
    }

    /** Halts the process after a delay: the last resort when an exit does not finish. */
    private record Halter(int status, long delayMillis) implements Runnable {
        @Override
        public void run() {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                // halt now
            }
            Runtime.getRuntime().halt(status);
        }
    }
}
