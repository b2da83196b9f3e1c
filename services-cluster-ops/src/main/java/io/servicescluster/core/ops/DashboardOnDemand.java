package io.servicescluster.core.ops;

import java.io.IOException;
import java.net.URI;

/**
 * Serves a manager's dashboard when {@code svc ui} asks for it over the control socket (the
 * control command {@code ui}): a cluster started without {@code --ui}, detached or not, gets one
 * on demand. The dashboard module implements it; ops knows no more of it than this.
 */
@FunctionalInterface
public interface DashboardOnDemand {

    /**
     * Serves the dashboard on {@code 127.0.0.1:port} ({@code 0}: a free port) if it is not served
     * yet, and returns its URL with its token (the one already served, whatever {@code port}).
     *
     * @throws IOException if the port cannot be bound
     */
    URI serve(int port) throws IOException;
}
