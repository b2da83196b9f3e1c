package io.servicescluster.core.control;

import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.FrameException;
import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;
import java.io.EOFException;
import java.io.IOException;
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
 * <p>Threading: one reader thread per controller calls the listener, in the order the remote
 * sent; {@link #requestClose} and {@link #stop} may be called from any thread.
 */
public final class ServiceController {

    private static final Logger log = LoggerFactory.getLogger(ServiceController.class);

    private final String service;
    private final RemoteProcess remote;
    private final Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ScheduledFuture<?> heartbeat;

    /** What the remote reported. Called on the controller's reader thread; must not block. */
    public interface Listener {
        void started();

        void startFailed(String reason);

        void closed(String error);

        void output(ControlMessage.OutputStream stream, String line);

        void uncaughtException(UncaughtException exception);

        void stats(Stats stats);

        /** The control connection ended without an orderly close, or broke the protocol. */
        void connectionLost(String reason);
    }

    public ServiceController(String service, RemoteProcess remote, Listener listener) {
        this.service = service;
        this.remote = remote;
        this.listener = listener;
    }

    /**
     * Sends the code and the start, begins reading, and sends a heartbeat every
     * {@code heartbeatMillis} on {@code timers}.
     */
    public void begin(Code code, ScheduledExecutorService timers, long heartbeatMillis) {
        Thread.ofVirtual().name("svc-control-" + service).start(this::readLoop);
        try {
            remote.channel().send(code);
            remote.channel().send(new Start());
        } catch (IOException e) {
            lost("cannot send the code: " + e.getMessage());
            return;
        }
        heartbeat = timers.scheduleAtFixedRate(this::sendHeartbeat, heartbeatMillis, heartbeatMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Asks the remote to close its service; the answer arrives as {@link Listener#closed}. */
    public void requestClose() {
        try {
            remote.channel().send(new Close());
        } catch (IOException e) {
            lost("cannot send close: " + e.getMessage());
        }
    }

    /** Stops heartbeats and closes the channel, without telling the listener. Idempotent. */
    public void stop() {
        ended.set(true);
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
        remote.channel().close();
    }

    private void sendHeartbeat() {
        try {
            remote.channel().send(new Heartbeat());
        } catch (IOException e) {
            lost("cannot send a heartbeat: " + e.getMessage());
        }
    }

    private void readLoop() {
        ControlChannel channel = remote.channel();
        try {
            while (!ended.get()) {
                dispatch(channel.receive());
            }
        } catch (EOFException e) {
            lost("the control connection was closed by the remote");
        } catch (FrameException e) {
            log.warn("{}: closing the control connection: {}", service, e.getMessage());
            lost("protocol violation: " + e.getMessage());
        } catch (IOException e) {
            lost(ended.get() ? "" : "control connection failed: " + e.getMessage());
        }
    }

    private void dispatch(ControlMessage message) {
        switch (message) {
            case Started m -> listener.started();
            case StartFailed m -> listener.startFailed(m.reason());
            case Closed m -> {
                listener.closed(m.error());
                stop();
            }
            case Output m -> listener.output(m.stream(), m.line());
            case UncaughtException m -> listener.uncaughtException(m);
            case Stats m -> listener.stats(m);
            case Heartbeat m -> { }
            default -> {
                log.warn("{}: closing the control connection: the remote sent {}", service,
                        message.getClass().getSimpleName());
                lost("protocol violation: the remote sent " + message.getClass().getSimpleName());
            }
        }
    }

    private void lost(String reason) {
        if (ended.compareAndSet(false, true)) {
            log.debug("{}: {}", service, reason);
            stop();
            listener.connectionLost(reason);
        }
    }
}
