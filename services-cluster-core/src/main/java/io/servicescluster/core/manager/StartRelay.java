package io.servicescluster.core.manager;

import io.servicescluster.core.control.ServiceController;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.ProbeResult;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;

/**
 * What a prepared remote's controller reports, before and after its start: until a start takes
 * the remote there is no start to report to, so a loss runs {@code lostBeforeStart} and is kept
 * to be told to the start that may still take it; output waits for nothing (the runtime's own
 * lines, before any service code runs, are dropped) and of the samples only the last memory
 * figure is kept (a waiting remote's memory counts: {@code svc ps}). Once {@link
 * #startWith} names the start's reports, everything goes there. The controller's reader thread
 * calls in, the loop calls {@link #startWith}.
 */
final class StartRelay implements ServiceController.Listener {

    private final Runnable lostBeforeStart;
    private volatile ServiceController.Listener start;
    /** A loss before the start: reason and whether it explains the end. */
    private String lostReason;
    private boolean lostExplainsEnd;
    /** The resident memory of the last sample before the start, 0 before one. */
    private volatile long rssBeforeStart;

    StartRelay(Runnable lostBeforeStart) {
        this.lostBeforeStart = lostBeforeStart;
    }

    /** From now on reports go to {@code reports}; a loss that came before is told to it at once. */
    void startWith(ServiceController.Listener reports) {
        String reason;
        boolean explainsEnd;
        synchronized (this) {
            start = reports;
            reason = lostReason;
            explainsEnd = lostExplainsEnd;
        }
        if (reason != null) {
            reports.connectionLost(reason, explainsEnd);
        }
    }

    @Override
    public void connectionLost(String reason, boolean explainsEnd) {
        ServiceController.Listener target;
        synchronized (this) {
            target = start;
            if (target == null) {
                lostReason = reason;
                lostExplainsEnd = explainsEnd;
            }
        }
        if (target != null) {
            target.connectionLost(reason, explainsEnd);
        } else {
            lostBeforeStart.run();
        }
    }

    @Override
    public void started(boolean ownHealthCheck) {
        start.started(ownHealthCheck); // the controller lets no answer through before the start
    }

    @Override
    public void startFailed(String reason) {
        start.startFailed(reason);
    }

    @Override
    public void closed(String error) {
        start.closed(error); // only after a close was asked, so after the start
    }

    @Override
    public void probeResult(ProbeResult result) {
        ServiceController.Listener target = start;
        if (target != null) {
            target.probeResult(result);
        }
    }

    @Override
    public void spawn(Spawn request) {
        ServiceController.Listener target = start;
        if (target != null) {
            target.spawn(request);
        }
    }

    @Override
    public void output(OutputStream stream, String line) {
        ServiceController.Listener target = start;
        if (target != null) {
            target.output(stream, line);
        }
    }

    @Override
    public void uncaughtException(UncaughtException e) {
        ServiceController.Listener target = start;
        if (target != null) {
            target.uncaughtException(e);
        }
    }

    @Override
    public void stats(Stats sample) {
        ServiceController.Listener target = start;
        if (target != null) {
            target.stats(sample);
        } else {
            rssBeforeStart = sample.rssBytes();
        }
    }

    /** The resident memory the remote last reported before its start; 0 before a report. */
    long rssBeforeStart() {
        return rssBeforeStart;
    }
}
