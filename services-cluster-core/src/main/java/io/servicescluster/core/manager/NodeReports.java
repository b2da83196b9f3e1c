package io.servicescluster.core.manager;

import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.control.HealthWatch;
import io.servicescluster.core.control.ServiceController;
import io.servicescluster.core.control.UntrustedText;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.ProbeResult;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Carries what one controller reports into the manager: lifecycle answers are posted to the
 * decision loop (tagged with the start's generation, so a late answer of an older start is
 * ignored); output and statistics go straight to listeners and the node, off the loop.
 */
final class NodeReports implements ServiceController.Listener {

    /** The most of an exception's class name, message and thread that its event keeps (UTF-8 bytes). */
    static final int EVENT_MESSAGE_BYTES = 1024;

    private final DecisionLoop loop;
    private final ServiceNode node;
    private final int generation;
    private final Optional<SandboxWriteHints> writeHints;
    private final ScheduledExecutorService timers;
    private volatile ServiceController controller;
    private volatile HealthWatch watch;

    NodeReports(DecisionLoop loop, ServiceNode node, int generation, ScheduledExecutorService timers) {
        this.timers = timers;
        this.loop = loop;
        this.node = node;
        this.generation = generation;
        this.writeHints = SandboxWriteHints.of(node.spec, node.container);
    }

    /**
     * The service's start returned. With a health check — from the cluster file, or the service's
     * own with the default timing — it is {@code running} only once a check passes (R16): the
     * checks begin now, and their results go to the loop.
     */
    @Override
    public void started(boolean ownHealthCheck) {
        Optional<HealthSpec> health = node.spec.health().or(() -> ownHealthCheck
                ? Optional.of(HealthSpec.OWN_CHECK) : Optional.empty());
        if (health.isPresent()) {
            HealthWatch watch = new HealthWatch(controller, health.get(), timers,
                    (healthy, detail) -> loop.healthResult(node, generation, healthy, detail));
            this.watch = watch;
            loop.started(node, generation, health);
            watch.begin();
        } else {
            loop.started(node, generation, Optional.empty());
        }
    }

    @Override
    public void probeResult(ProbeResult result) {
        HealthWatch current = watch;
        if (current != null) {
            current.answered(result);
        }
    }

    /** The controller this reports for, once made; before {@link ServiceController#begin}. */
    void attach(ServiceController controller) {
        this.controller = controller;
    }

    /** Ends the health checks of this start, if any. */
    void stopHealth() {
        HealthWatch current = watch;
        if (current != null) {
            current.stop();
        }
    }

    @Override
    public void startFailed(String reason) {
        String explained = hint(reason).map(h -> reason + " (" + h + ")").orElse(reason);
        loop.startFailed(node, generation, explained);
    }

    @Override
    public void closed(String error) {
        loop.closed(node, generation, error);
    }

    @Override
    public void connectionLost(String reason, boolean explainsEnd) {
        loop.connectionLost(node, generation, reason, explainsEnd);
    }

    @Override
    public void spawn(Spawn request) {
        loop.spawnRequested(node, generation, request);
    }

    @Override
    public void output(OutputStream stream, String line) {
        loop.output(node, stream, line);
        hint(line).ifPresent(this::explain);
    }

    @Override
    public void uncaughtException(UncaughtException e) {
        ExceptionReport report = new ExceptionReport(Instant.now(), e.thread(), e.className(), e.message(), e.stackTrace());
        node.exception(report);
        loop.exception(node, report);
        hint(e.message()).ifPresent(this::explain);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("exception", UntrustedText.cut(e.className(), EVENT_MESSAGE_BYTES));
        // the report above keeps the message whole (64 KiB at most), NAME.exceptions.jsonl too, which
        // rotates; the event log does not, and up to 10 reports a second would fill it at 640 KB/s
        details.put("message", UntrustedText.cut(e.message(), EVENT_MESSAGE_BYTES));
        details.put("thread", UntrustedText.cut(e.thread(), EVENT_MESSAGE_BYTES));
        loop.reported(node, Type.EXCEPTION, details);
    }

    /** What a write the sandbox refused means, if {@code text} shows one not yet explained in this start. */
    private Optional<String> hint(String text) {
        return writeHints.flatMap(h -> h.explain(text));
    }

    /** The hint as a line of the service's stderr, right after what it explains. */
    private void explain(String hint) {
        loop.output(node, OutputStream.STDERR, "services-cluster: " + hint);
    }

    @Override
    public void stats(Stats s) {
        node.stats(generation, new ResourceStats(Instant.now(), s.cpuTimeNanos(), s.cpuPercent(), s.heapUsedBytes(),
                s.heapMaxBytes(), s.rssBytes()));
    }
}
