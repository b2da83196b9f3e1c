package io.servicescluster.core.manager;

import io.servicescluster.core.control.ServiceController;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries what one controller reports into the manager: lifecycle answers are posted to the
 * decision loop (tagged with the start's generation, so a late answer of an older start is
 * ignored); output and statistics go straight to listeners and the node, off the loop.
 */
final class NodeReports implements ServiceController.Listener {

    private final DecisionLoop loop;
    private final ServiceNode node;
    private final int generation;

    NodeReports(DecisionLoop loop, ServiceNode node, int generation) {
        this.loop = loop;
        this.node = node;
        this.generation = generation;
    }

    @Override
    public void started() {
        loop.post(() -> loop.started(node, generation));
    }

    @Override
    public void startFailed(String reason) {
        loop.post(() -> loop.startFailed(node, generation, reason));
    }

    @Override
    public void closed(String error) {
        loop.post(() -> loop.closed(node, generation, error));
    }

    @Override
    public void connectionLost(String reason, boolean explainsEnd) {
        loop.post(() -> loop.connectionLost(node, generation, reason, explainsEnd));
    }

    @Override
    public void spawn(Spawn request) {
        loop.post(() -> loop.spawnRequested(node, generation, request));
    }

    @Override
    public void output(OutputStream stream, String line) {
        loop.output(node, stream, line);
    }

    @Override
    public void uncaughtException(UncaughtException e) {
        ExceptionReport report = new ExceptionReport(Instant.now(), e.thread(), e.className(), e.message(), e.stackTrace());
        node.exception(report);
        loop.exception(node, report);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("exception", e.className());
        details.put("message", e.message());
        details.put("thread", e.thread());
        loop.post(() -> loop.emit(node, Type.EXCEPTION, details));
    }

    @Override
    public void stats(Stats s) {
        node.stats(generation, new ResourceStats(Instant.now(), s.cpuTimeNanos(), s.cpuPercent(), s.heapUsedBytes(),
                s.heapMaxBytes(), s.rssBytes()));
    }
}
