package io.servicescluster.core.control;

import io.servicescluster.protocol.Durations;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.compile.CompileException;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlCodec;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.FrameException;
import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.Probe;
import io.servicescluster.protocol.ControlMessage.ProbeResult;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's side of one running service (R10: one per start). It sends the code, the start
 * and the close, sends heartbeats, and turns what the remote says into {@link Listener} calls.
 * It makes no decisions: the manager's loop does.
 *
 * <p>It trusts nothing the remote says (docs/security.md): every text is cut to {@link
 * UntrustedText#MAX_BYTES} (an exception report to that in all), uncaught exception reports are
 * passed on at most {@value ExceptionBudget#PER_SECOND} a second (the rest counted and said in
 * one stderr line), an unbelievable {@code Stats} sample is dropped (and logged once), and a
 * lifecycle answer that makes no sense now — a second {@code Started} or {@code StartFailed},
 * {@code Closed} before a close was asked — is a protocol violation: the connection ends and the
 * service is reported crashed, never started or closed twice.
 *
 * <p>Threading: one reader thread per controller calls the listener, in the order the remote
 * sent; one sender thread writes ({@link ControlSender}), so no call here blocks on a remote that
 * does not read; {@link #requestClose}, {@link #spawnResult} and {@link #stop} may be called from
 * any thread.
 */
public final class ServiceController {

    private static final Logger log = LoggerFactory.getLogger(ServiceController.class);
    /** The most of a health check's detail kept (the remote runtime sends at most 500 characters). */
    private static final int HEALTH_DETAIL_BYTES = 1024;

    private final String service;
    private final RemoteProcess remote;
    private final Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ControlSender sender;
    private volatile ScheduledFuture<?> heartbeat;
    /** When the remote last answered a heartbeat ({@link System#nanoTime()}). */
    private volatile long lastAnswer;
    /** When {@link #open} ran ({@link System#nanoTime()}). */
    private volatile long begun;
    /** Whether a close was asked: only then may {@code Closed} come. */
    private volatile boolean closeAsked;
    /** Whether the start was sent: only then may the remote answer it. */
    private volatile boolean startSent;
    /** The code {@link #sendCode} sent (or could not), once it is; null if none was sent ahead. */
    private volatile CompletableFuture<Code> codeSent;
    /** Whether the start was answered: by the remote (on the reader), or by code that failed (off it). */
    private final AtomicBoolean startAnswered = new AtomicBoolean();
    // the reader thread's alone:
    private boolean badStatsLogged;
    private final ExceptionBudget exceptionBudget = new ExceptionBudget();
    private final StatsCheck statsCheck = new StatsCheck(Runtime.getRuntime().availableProcessors());

    /** What the remote reported. Called on the controller's reader thread; must not block. */
    public interface Listener {
        /** The service's start returned; {@code ownHealthCheck}: it registered a health check (R16). */
        void started(boolean ownHealthCheck);

        /** The answer to a {@link #probe}. */
        default void probeResult(ProbeResult result) {
        }

        void startFailed(String reason);

        void closed(String error);

        void output(ControlMessage.OutputStream stream, String line);

        void uncaughtException(UncaughtException exception);

        void stats(Stats stats);

        /** The service asks to spawn a child (R8); answer with {@link ServiceController#spawnResult}. */
        void spawn(Spawn request);

        /**
         * The control connection ended without an orderly close, broke the protocol, or the
         * remote stopped answering heartbeats.
         *
         * @param reason what happened, in words
         * @param explainsEnd whether the reason explains the service's end better than its
         *     process's exit status will (a protocol violation, unresponsiveness) — or is only
         *     the echo of a process that died (end of stream)
         */
        void connectionLost(String reason, boolean explainsEnd);
    }

    public ServiceController(String service, RemoteProcess remote, Listener listener) {
        this.service = service;
        this.remote = remote;
        this.listener = listener;
        this.sender = new ControlSender(service, remote.channel(), (message, e) -> lost("cannot send "
                + message.getClass().getSimpleName() + ": " + e.getMessage(), false));
    }

    /**
     * Sends the code, where each dependency runs, and the start; begins reading; and sends a
     * heartbeat every {@code interval} on {@code timers}, declaring the remote unresponsive when
     * no heartbeat came back for {@code timeout}. The same as {@link #open} then {@link #start}.
     */
    public void begin(Code code, List<PeerUp> dependencies, ScheduledExecutorService timers, Duration interval,
            Duration timeout) {
        open(timers, interval, timeout);
        start(code, dependencies);
    }

    /**
     * {@link #begin(Code, List, ScheduledExecutorService, Duration, Duration)} with code that may
     * still be on its way (a source being compiled): reading and heartbeats begin now, the code,
     * endpoints and start are sent once it is there (see {@link #start(CompletableFuture, List)}).
     */
    public void begin(CompletableFuture<Code> code, List<PeerUp> dependencies, ScheduledExecutorService timers,
            Duration interval, Duration timeout) {
        open(timers, interval, timeout);
        start(code, dependencies);
    }

    /**
     * Begins reading and the heartbeats (as {@link #begin}), without starting anything: a remote
     * launched ahead of its start (issue 14) is kept alive this way until {@link #start}. Until
     * then, an answer to a start is a protocol violation.
     */
    public void open(ScheduledExecutorService timers, Duration interval, Duration timeout) {
        lastAnswer = System.nanoTime();
        begun = lastAnswer;
        // a platform thread: over pipes a blocked read holds its carrier, and with a virtual
        // thread per service the scheduler's carriers would run out in a large cluster
        Thread.ofPlatform().daemon().name("svc-control-" + service).start(this::readLoop);
        long timeoutNanos = timeout.toNanos();
        heartbeat = timers.scheduleAtFixedRate(() -> heartbeat(timeoutNanos, timeout), interval.toMillis(),
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends the code, where each dependency runs, and the start, on a channel {@link #open}ed before. */
    public void start(Code code, List<PeerUp> dependencies) {
        start(CompletableFuture.completedFuture(code), dependencies);
    }

    /**
     * Sends the code once it is there, then where each dependency runs, and the start, on a
     * channel {@link #open}ed before. Code that failed — a {@link CompileException} with javac's
     * report — or that is larger than the channel carries in one message is a {@link
     * Listener#startFailed} (R12), and nothing is sent.
     */
    public void start(CompletableFuture<Code> code, List<PeerUp> dependencies) {
        begin(code, false, dependencies);
    }

    /**
     * Sends the code before any start asks for it (a remote launched ahead, issue 14), so that
     * the remote loads the service's class meanwhile; {@link #startWithCodeSent} starts it. Code
     * that failed or is too large is not sent, and said at that start. At most once.
     */
    public void sendCode(CompletableFuture<Code> code) {
        codeSent = code.thenApply(ready -> {
            if (tooLarge(ready).isEmpty()) {
                sender.send(ready);
            }
            return ready;
        });
    }

    /** {@link #start}, with the code of {@link #sendCode}: sends where each dependency runs, and the start. */
    public void startWithCodeSent(List<PeerUp> dependencies) {
        begin(codeSent, true, dependencies);
    }

    private void begin(CompletableFuture<Code> code, boolean sent, List<PeerUp> dependencies) {
        code.whenComplete((ready, failure) -> {
            Optional<String> problem = failure != null ? Optional.of(codeFailure(failure)) : tooLarge(ready);
            if (problem.isPresent()) {
                if (!ended.get() && startAnswered.compareAndSet(false, true)) {
                    listener.startFailed(problem.get());
                }
                return;
            }
            if (!sent) {
                sender.send(ready);
            }
            for (PeerUp dependency : dependencies) {
                sender.send(dependency);
            }
            startSent = true;
            sender.send(new Start());
        });
    }

    private String codeFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CompileException) {
            return cause.getMessage();
        }
        log.warn("{}: no code to send", service, cause);
        return "cannot make the code of '" + service + "': " + cause;
    }

    /** Compiled classes beyond the channel's frame limit cannot travel: said now, in words, not as a lost connection. */
    private Optional<String> tooLarge(Code code) {
        if (code.classes().isEmpty()) {
            return Optional.empty();
        }
        int limit = remote.channel().port().maxFrameSize();
        int size = ControlCodec.encode(code).length;
        return size <= limit ? Optional.empty() : Optional.of("the classes compiled from " + code.sourceName()
                + " take " + size + " bytes with the rest of the code message, more than the control channel carries in"
                + " one message (" + limit + " bytes): move the bulk into a library on the service's classpath");
    }

    /** Asks the remote to close its service; the answer arrives as {@link Listener#closed}. */
    public void requestClose() {
        closeAsked = true;
        sender.send(new Close());
    }

    /** Asks the remote to run a health check (R16); the answer arrives as {@link Listener#probeResult}. */
    public void probe(Probe probe) {
        sender.send(probe);
    }

    /** Answers a {@link Spawn} of the remote; a failure to send is a lost connection. */
    public void spawnResult(SpawnResult result) {
        sender.send(result);
    }

    /** Stops heartbeats and closes the channel, without telling the listener. Idempotent. */
    public void stop() {
        ended.set(true);
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
        sender.stop();
        remote.channel().close();
    }

    private void heartbeat(long timeoutNanos, Duration timeout) {
        if (System.nanoTime() - lastAnswer > timeoutNanos) {
            log.warn("{}: no heartbeat answer for {}; declaring it unresponsive", service, timeout);
            lost("unresponsive: no heartbeat answer for " + Durations.format(timeout), true);
            return;
        }
        sender.send(new Heartbeat());
    }

    private void readLoop() {
        ControlChannel channel = remote.channel();
        try {
            while (!ended.get()) {
                ControlMessage message = channel.receive();
                if (message instanceof Closed closed) {
                    if (!closeAsked) {
                        violation("Closed before a close was asked");
                        return;
                    }
                    drainAfter(closed, channel);
                    return;
                }
                dispatch(message);
            }
        } catch (EOFException e) {
            lost("the control connection was closed by the remote", false);
        } catch (FrameException e) {
            log.warn("{}: closing the control connection: {}", service, e.getMessage());
            lost("protocol violation: " + e.getMessage(), true);
        } catch (IOException e) {
            lost("control connection failed: " + e.getMessage(), false);
        }
    }

    /**
     * The orderly end: the service closed. The remote's process is ending, but threads the
     * service left behind may still print, so the channel is read to its end and their output
     * and exceptions passed on; closing it here at {@code Closed} made the remote's next write
     * fail, and lose what was queued behind {@code Closed}. Heartbeats and samples are ignored.
     */
    private void drainAfter(Closed closed, ControlChannel channel) {
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
        listener.closed(UntrustedText.cut(closed.error(), UntrustedText.MAX_BYTES));
        try {
            while (!ended.get()) {
                ControlMessage message = channel.receive();
                if (message instanceof Output || message instanceof UncaughtException) {
                    dispatch(message);
                }
            }
        } catch (IOException e) {
            log.debug("{}: control connection ended after close: {}", service, e.toString());
        } finally {
            sayDroppedExceptions();
            stop();
        }
    }

    private void dispatch(ControlMessage message) {
        switch (message) {
            case Started m -> {
                if (answerStart("Started")) {
                    listener.started(m.ownHealthCheck());
                }
            }
            case StartFailed m -> {
                if (answerStart("StartFailed")) {
                    listener.startFailed(UntrustedText.cut(m.reason(), UntrustedText.MAX_BYTES));
                }
            }
            // a health check's detail goes into events and reasons: bounded like any text of the remote
            case ProbeResult m -> listener.probeResult(new ProbeResult(m.id(), m.healthy(),
                    UntrustedText.cut(m.detail(), HEALTH_DETAIL_BYTES)));
            case Output m -> listener.output(m.stream(), UntrustedText.cut(m.line(), UntrustedText.MAX_BYTES));
            case UncaughtException m -> uncaught(m);
            case Stats m -> stats(m);
            case Spawn m -> listener.spawn(m);
            case Heartbeat m -> lastAnswer = System.nanoTime();
            default -> {
                log.warn("{}: closing the control connection: the remote sent {}", service,
                        message.getClass().getSimpleName());
                lost("protocol violation: the remote sent " + message.getClass().getSimpleName(), true);
            }
        }
    }

    /** Whether a start's answer makes sense now: only the first after the start; another one is a violation. */
    private boolean answerStart(String what) {
        if (!startSent) {
            violation(what + " before the start was sent");
            return false;
        }
        if (!startAnswered.compareAndSet(false, true)) {
            violation(what + " after the start was already answered");
            return false;
        }
        return true;
    }

    private void violation(String what) {
        log.warn("{}: closing the control connection: protocol violation: {}", service, what);
        lost("protocol violation: " + what, true);
    }

    /** Passes a report on, bounded and within the budget; says first how many were dropped before it. */
    private void uncaught(UncaughtException m) {
        if (!exceptionBudget.take(System.nanoTime())) {
            return;
        }
        sayDroppedExceptions();
        listener.uncaughtException(bounded(m));
    }

    private void sayDroppedExceptions() {
        long dropped = exceptionBudget.takeDropped();
        if (dropped > 0) {
            listener.output(ControlMessage.OutputStream.STDERR, ExceptionBudget.droppedLine(dropped));
        }
    }

    /** The report within {@link UntrustedText#MAX_BYTES} in all: names 1 KiB each, message 16 KiB, the rest for the trace. */
    static UncaughtException bounded(UncaughtException m) {
        int name = 1024;
        int message = 16 * 1024;
        return new UncaughtException(UntrustedText.cut(m.thread(), name), UntrustedText.cut(m.className(), name),
                UntrustedText.cut(m.message(), message),
                UntrustedText.cut(m.stackTrace(), UntrustedText.MAX_BYTES - 2 * name - message - 3 * 64));
    }

    private void stats(Stats sample) {
        var problem = statsCheck.problem(sample, System.nanoTime() - begun);
        if (problem.isEmpty()) {
            listener.stats(sample);
        } else if (!badStatsLogged) {
            badStatsLogged = true; // once per start: a remote sending nonsense every second must not flood the log
            log.warn("{}: dropping a resource sample that cannot be true ({}); later ones are dropped silently",
                    service, problem.get());
        }
    }

    private void lost(String reason, boolean explainsEnd) {
        if (ended.compareAndSet(false, true)) {
            log.debug("{}: {}", service, reason);
            sayDroppedExceptions();
            // the listener first: its input is queued before the channel closes, so before the
            // remote can see the close and exit, and the loop learns why before it learns the exit
            listener.connectionLost(reason, explainsEnd);
            stop();
        }
    }
}
