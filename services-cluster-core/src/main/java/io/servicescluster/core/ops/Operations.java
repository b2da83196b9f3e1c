package io.servicescluster.core.ops;

import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServicesManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a manager offers those who operate it, each enabled from {@link ServicesManager.Builder}:
 * the control socket and its registry file ({@code svc ps}, {@code svc stop} …), service log
 * files, and the Prometheus endpoint. Made in two steps: {@link #prepare} before the manager
 * (its listeners must be registered), {@link #attach} once the manager exists.
 */
public final class Operations implements AutoCloseable {

    private final boolean control;
    private final ServiceLogs logs;
    private final ClusterMetrics metrics;
    private final int metricsPort;
    private ControlServer server;

    private Operations(boolean control, ServiceLogs logs, ClusterMetrics metrics, int metricsPort) {
        this.control = control;
        this.logs = logs;
        this.metrics = metrics;
        this.metricsPort = metricsPort;
    }

    /**
     * Begins what needs no manager yet.
     *
     * @param control whether to serve the control socket
     * @param logFolder where to write service logs, or empty for none
     * @param logSettings how to write them
     * @param metricsPort the Prometheus port on 127.0.0.1 ({@code 0}: a free one), or negative for none
     */
    public static Operations prepare(boolean control, Optional<Path> logFolder, LogSettings logSettings,
            int metricsPort) {
        ServiceLogs logs = logFolder.map(folder -> new ServiceLogs(folder, logSettings)).orElse(null);
        return new Operations(control, logs, metricsPort >= 0 ? new ClusterMetrics() : null, metricsPort);
    }

    /** The listeners to register with the manager. */
    public List<ClusterListener> listeners() {
        List<ClusterListener> listeners = new ArrayList<>();
        if (logs != null) {
            listeners.add(logs);
        }
        if (metrics != null) {
            listeners.add(metrics);
        }
        return listeners;
    }

    /** Serves the metrics and the control socket for {@code manager}, then writes its registry file. */
    public void attach(ServicesManager manager) throws IOException {
        if (metrics != null) {
            metrics.serve(manager, metricsPort);
        }
        if (control) {
            server = ControlServer.start(manager, manager.runDirectory().resolve(ControlServer.SOCKET_NAME));
            ManagerRegistry.write(manager.runDirectory(), new ManagerInfo(manager.spec().name(),
                    manager.spec().sourceFile().map(f -> f.toAbsolutePath().normalize()),
                    ProcessHandle.current().pid(), ProcessHandle.current().info().startInstant(), server.socket(),
                    logDirectory(), metricsPort()));
        }
    }

    /** The control socket, if served. */
    public Optional<Path> controlSocket() {
        return Optional.ofNullable(server).map(ControlServer::socket);
    }

    /** The folder of the service log files, if they are written. */
    public Optional<Path> logDirectory() {
        return Optional.ofNullable(logs).map(ServiceLogs::folder);
    }

    /** The metrics, if they are kept. */
    public Optional<ClusterMetrics> metrics() {
        return Optional.ofNullable(metrics);
    }

    /** The port of the Prometheus endpoint, once it is served. */
    public OptionalInt metricsPort() {
        return metrics == null ? OptionalInt.empty() : OptionalInt.of(metrics.port());
    }

    /** Stops the endpoints and finishes the log files. */
    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (logs != null) {
            logs.close();
        }
    }
}
