package io.servicescluster.core.ops;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ManagerExtension;
import io.servicescluster.core.manager.ServicesManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a manager offers those who operate it: the control socket and its registry file
 * ({@code svc ps}, {@code svc stop} …), service log files, and the Prometheus endpoint. Each is
 * enabled on the {@link #builder()}; the manager runs it as an extension:
 *
 * <pre>{@code
 * Operations operations = Operations.builder().controlEndpoint(true).metricsPort(0).build();
 * ServicesManager manager = ServicesManager.builder(cluster).extension(operations).build();
 * }</pre>
 *
 * <p>It sees the manager only through its API (status, events, stop, restart), so the manager
 * knows nothing of it. One manager per instance.
 */
public final class Operations implements ManagerExtension {

    private final boolean control;
    private final LogSettings logSettings;
    private final int metricsPort;
    private ServiceLogs logs;
    private ClusterMetrics metrics;
    private ControlServer server;
    private final DashboardOnDemand dashboard;

    private Operations(Builder builder) {
        this.dashboard = builder.dashboard;
        this.control = builder.control;
        this.logSettings = builder.logSettings;
        this.metricsPort = builder.metricsPort;
    }

    /** A builder with everything off. */
    public static Builder builder() {
        return new Builder();
    }

    /** Makes the log files' writer and the metrics, and returns them as the manager's listeners. */
    @Override
    public List<ClusterListener> open(ClusterSpec spec, Path stateDir) {
        if (logSettings != null) {
            logs = new ServiceLogs(ServicesManager.logFolder(stateDir), logSettings);
        }
        if (metricsPort >= 0) {
            metrics = new ClusterMetrics();
        }
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
    @Override
    public void attach(ServicesManager manager) throws IOException {
        if (metrics != null) {
            metrics.serve(manager, metricsPort);
        }
        if (control) {
            server = ControlServer.start(manager, manager.runDirectory().resolve(ControlServer.SOCKET_NAME));
            if (dashboard != null) {
                server.dashboard(dashboard);
            }
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

    /** Chooses what {@link Operations} serves. Not thread-safe. */
    public static final class Builder {
        private boolean control;
        private DashboardOnDemand dashboard;
        private LogSettings logSettings;
        private int metricsPort = -1;

        private Builder() {
        }

        /**
         * Serves the control socket {@code control.sock} (mode 0600) in the run folder and writes
         * {@code manager.json} beside it, so that {@code svc ps}, {@code svc stop} … find the
         * manager (see docs/operations.md). Off by default.
         */
        public Builder controlEndpoint(boolean enabled) {
            this.control = enabled;
            return this;
        }

        /**
         * Writes each service's stdout, stderr and uncaught exceptions to rotating files in
         * {@code STATEDIR/logs} ({@code NAME.out.log}, {@code NAME.err.log},
         * {@code NAME.exceptions.jsonl}). Off by default.
         */
        public Builder logFiles(LogSettings settings) {
            this.logSettings = settings;
            return this;
        }

        /**
         * Serves Prometheus metrics at {@code http://127.0.0.1:PORT/metrics}; {@code 0} takes a
         * free port (see {@link Operations#metricsPort()}), a negative port serves none (the default).
         */
        public Builder metricsPort(int port) {
            this.metricsPort = port;
            return this;
        }

        /**
         * Lets {@code svc ui} have the dashboard served through the control socket (the command
         * {@code ui}), for a cluster started without {@code --ui}.
         */
        public Builder dashboardOnDemand(DashboardOnDemand onDemand) {
            this.dashboard = onDemand;
            return this;
        }

        public Operations build() {
            return new Operations(this);
        }
    }
}
