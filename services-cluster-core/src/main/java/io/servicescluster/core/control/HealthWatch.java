package io.servicescluster.core.control;

import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.protocol.ControlMessage.Probe;
import io.servicescluster.protocol.ControlMessage.ProbeKind;
import io.servicescluster.protocol.ControlMessage.ProbeResult;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one start's health checks (R16): asks the remote for a check ({@link Probe}: the remote
 * runs it inside the container), takes its answer — or, past the check's timeout and a grace for
 * the way there and back, counts it as failing — reports the result, and asks again an
 * {@code interval} later. One check at a time; never on the decision loop. Thread-safe.
 */
public final class HealthWatch {

    /** Beyond a check's own timeout, for the request and answer to travel: a remote that does not answer fails. */
    static final Duration ANSWER_GRACE = Duration.ofMillis(500);

    /** Where results go; called on the controller's reader or a timer thread, one at a time. */
    public interface Results {
        void result(boolean healthy, String detail);
    }

    private final ServiceController controller;
    private final HealthSpec spec;
    private final ScheduledExecutorService timers;
    private final Results results;
    private long nextId;            // guarded by this
    private long pending = -1;      // the id awaiting an answer; -1: none (guarded by this)
    private ScheduledFuture<?> timer; // guarded by this
    private boolean stopped;        // guarded by this

    public HealthWatch(ServiceController controller, HealthSpec spec, ScheduledExecutorService timers, Results results) {
        this.controller = controller;
        this.spec = spec;
        this.timers = timers;
        this.results = results;
    }

    /** Sends the first check now. */
    public void begin() {
        ask();
    }

    private void ask() {
        long id;
        synchronized (this) {
            if (stopped) {
                return;
            }
            id = ++nextId;
            pending = id;
            long wait = spec.timeout().plus(ANSWER_GRACE).toMillis();
            if (!schedule(() -> answered(id, false, "no answer within "
                    + io.servicescluster.protocol.Durations.format(spec.timeout())), wait)) {
                return;
            }
        }
        controller.probe(probe(id));
    }

    private Probe probe(long id) {
        long timeout = spec.timeout().toMillis();
        return switch (spec.probe().orElse(null)) {
            case null -> new Probe(id, ProbeKind.OWN, "", timeout);
            case HealthSpec.Http http -> new Probe(id, ProbeKind.HTTP, http.url().toString(), timeout);
            case HealthSpec.Tcp tcp -> new Probe(id, ProbeKind.TCP, tcp.host() + ":" + tcp.port(), timeout);
            case HealthSpec.Command command -> new Probe(id, ProbeKind.COMMAND, String.join("\u0000", command.words()),
                    timeout);
        };
    }

    /** The remote's answer (reader thread); one of another id (late, after its timeout) is dropped. */
    public void answered(ProbeResult result) {
        answered(result.id(), result.healthy(), result.detail());
    }

    private void answered(long id, boolean healthy, String detail) {
        synchronized (this) {
            if (stopped || id != pending) {
                return;
            }
            pending = -1;
            timer.cancel(false);
            schedule(this::ask, spec.interval().toMillis());
        }
        results.result(healthy, detail);
    }

    /** Schedules {@code task} as {@link #timer}; false, and stopped, once the timers are shut down (the manager ends). */
    private boolean schedule(Runnable task, long millis) {
        try {
            timer = timers.schedule(task, millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            stopped = true;
            return false;
        }
    }

    /** No more checks; idempotent. */
    public synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
