package io.servicescluster.dashboard;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ManagerExtension;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.core.ops.DashboardOnDemand;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * The live web dashboard of a manager, served on {@code 127.0.0.1} (see docs/dashboard.md):
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.onPort(0);
 * ServicesManager manager = ServicesManager.builder(cluster).extension(dashboard).build();
 * System.out.println("dashboard: " + dashboard.url());
 * }</pre>
 *
 * <p>Every request must carry the run's random token (the URL does); its actions are the control
 * commands of {@code svc stop} and {@code svc restart}. Once serving, it writes its URL to
 * {@value #URL_FILE} (mode 0600) in the manager's run folder, for {@code svc ui}. One manager per
 * instance. {@link #onDemand()} serves nothing until asked ({@link #serve}: {@code svc ui} on a
 * cluster started without {@code --ui}); meanwhile it keeps the last {@value #EVENTS_KEPT_ON_DEMAND}
 * events, so that the page opened later still shows how the cluster got where it is, and no
 * output (the log files have it).
 */
public final class Dashboard implements ManagerExtension, DashboardOnDemand {

    /** The file in the run folder that holds the dashboard's URL, token included. */
    public static final String URL_FILE = "dashboard.url";
    /** Events kept for pages that reconnect. */
    static final int EVENTS_KEPT = 20_000;
    /** Output lines kept per service for a log tail opened late. */
    static final int LINES_KEPT = 500;
    /** Resource samples kept per service: five minutes at the remote's one sample a second. */
    static final int SAMPLES_KEPT = 300;
    /** Events kept by a dashboard served on demand, before it is. */
    static final int EVENTS_KEPT_ON_DEMAND = 2_000;

    /** The port to serve on at once; -1: only when asked ({@link #serve}). */
    private final int port;
    private final EventFeed feed;
    private volatile ServicesManager manager;
    private volatile DashboardServer server;

    private Dashboard(int port, int eventsKept) {
        this.port = port;
        this.feed = new EventFeed(eventsKept, LINES_KEPT);
    }

    /** A dashboard to serve on {@code 127.0.0.1:port}; {@code 0} takes a free port. */
    public static Dashboard onPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port + " (0 to 65535; 0 takes a free one)");
        }
        return new Dashboard(port, EVENTS_KEPT);
    }

    /** A dashboard served only once {@link #serve} asks for it (through {@code svc ui}). */
    public static Dashboard onDemand() {
        return new Dashboard(-1, EVENTS_KEPT_ON_DEMAND);
    }

    @Override
    public List<ClusterListener> open(ClusterSpec spec, Path stateDir) {
        if (port >= 0) {
            return List.of(feed);
        }
        return List.of(new ClusterListener() { // the events always; the output once served
            @Override
            public void onEvent(ServiceEvent event) {
                feed.onEvent(event);
            }

            @Override
            public void onOutput(String service, OutputStream stream, String line) {
                if (server != null) {
                    feed.onOutput(service, stream, line);
                }
            }
        });
    }

    /** Serves the page for {@code manager} and writes {@value #URL_FILE}, unless it is served on demand. */
    @Override
    public void attach(ServicesManager manager) throws IOException {
        this.manager = manager;
        if (port >= 0) {
            serve(port);
        }
    }

    /**
     * Serves the page on {@code 127.0.0.1:port} ({@code 0}: a free port) and writes {@value
     * #URL_FILE}, unless it is served already; returns its URL with its token.
     */
    @Override
    public synchronized URI serve(int port) throws IOException {
        if (server == null) {
            if (manager == null) {
                throw new IllegalStateException("no manager to serve yet");
            }
            DashboardServer started = DashboardServer.start(manager, feed, port);
            Path file = manager.runDirectory().resolve(URL_FILE);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, started.url() + "\n");
            server = started;
        }
        return server.url();
    }

    /** The page's URL with its token, once served. */
    public URI url() {
        return server.url();
    }

    /** The URL a running manager wrote into its run folder, if it serves a dashboard. */
    public static Optional<URI> urlOf(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(URL_FILE);
        return Files.exists(file) ? Optional.of(URI.create(Files.readString(file).strip())) : Optional.empty();
    }

    /** Ends the streams and stops serving. */
    @Override
    public void close() {
        feed.close();
        DashboardServer served = server;
        if (served != null) {
            served.close();
        }
    }
}
