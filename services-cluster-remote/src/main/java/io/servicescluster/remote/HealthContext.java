package io.servicescluster.remote;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.api.EventHandler;
import io.servicescluster.api.HealthCheck;
import io.servicescluster.api.Peer;
import io.servicescluster.api.RequestHandler;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Path;
import java.util.Map;

/** The data plane's context with the lifecycle's part added: the service's own health check (R16). */
final class HealthContext implements ServiceContext {

    private final ServiceContext plane;
    private final HealthProbes probes;

    HealthContext(ServiceContext plane, HealthProbes probes) {
        this.plane = plane;
        this.probes = probes;
    }

    @Override
    public void health(HealthCheck check) {
        probes.register(check);
    }

    @Override
    public String name() {
        return plane.name();
    }

    @Override
    public Map<String, String> settings() {
        return plane.settings();
    }

    @Override
    public Path workDir() {
        return plane.workDir();
    }

    @Override
    public void onRequest(String method, RequestHandler handler) {
        plane.onRequest(method, handler);
    }

    @Override
    public void onRequestDirect(String method, RequestHandler handler) {
        plane.onRequestDirect(method, handler);
    }

    @Override
    public void onEvent(String event, EventHandler handler) {
        plane.onEvent(event, handler);
    }

    @Override
    public void publish(String event, byte[] payload) {
        plane.publish(event, payload);
    }

    @Override
    public Peer peer(String dependency) {
        return plane.peer(dependency);
    }

    @Override
    public Peer spawn(ChildSpec child) throws Exception {
        return plane.spawn(child);
    }

    @Override
    public String toString() {
        return plane.toString();
    }
}
