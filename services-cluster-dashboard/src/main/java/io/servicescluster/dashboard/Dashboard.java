package io.servicescluster.dashboard;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ManagerExtension;
import io.servicescluster.core.manager.ServicesManager;
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
 * instance.
 */
public final class Dashboard implements ManagerExtension {

    /** The file in the run folder that holds the dashboard's URL, token included. */
    public static final String URL_FILE = "dashboard.url";
    /** Events kept for pages that reconnect. */
    static final int EVENTS_KEPT = 20_000;
    /** Output lines kept per service for a log tail opened late. */
    static final int LINES_KEPT = 500;
    /** Resource samples kept per service: five minutes at the remote's one sample a second. */
    static final int SAMPLES_KEPT = 300;

    private final int port;
    private final EventFeed feed = new EventFeed(EVENTS_KEPT, LINES_KEPT);
    private DashboardServer server;

    private Dashboard(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port + " (0 to 65535; 0 takes a free one)");
        }
        this.port = port;
    }

    /** A dashboard to serve on {@code 127.0.0.1:port}; {@code 0} takes a free port. */
    public static Dashboard onPort(int port) {
        return new Dashboard(port);
    }

    @Override
    public List<ClusterListener> open(ClusterSpec spec, Path stateDir) {
        return List.of(feed);
    }

    /** Serves the page for {@code manager} and writes {@value #URL_FILE}. */
    @Override
    public void attach(ServicesManager manager) throws IOException {
        server = DashboardServer.start(manager, feed, port);
        Path file = manager.runDirectory().resolve(URL_FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, url() + "\n");
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
        if (server != null) {
            server.close();
        }
    }
}
