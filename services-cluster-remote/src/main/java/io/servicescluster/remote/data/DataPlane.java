package io.servicescluster.remote.data;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.api.ServiceContext;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.protocol.TlsCredentials;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;

/**
 * The data plane of the one service of this process, as the runtime's lifecycle sees it: the
 * whole surface between the two packages (with {@link DataEndpoint}, bound before {@code Hello}).
 * Requests and events go straight from service to service, never through the controller (R14);
 * the implementation ({@code DirectDataPlane}) and its connections stay private to this package.
 *
 * <p>Threading: {@link #peerUp} on the reader thread, {@link #open} on the start thread, {@link
 * #close} on the close thread; the {@link ServiceContext} is safe from any thread.
 */
public interface DataPlane {

    /**
     * The data plane for {@code code}, made when {@code Code} arrives; it serves nothing yet.
     *
     * @param endpoint where to serve dependents, or {@code null} to serve none
     * @param tls this start's credentials, for dependencies at {@code tls:} endpoints; null without
     * @param spawner the way to the manager for {@link ServiceContext#spawn}
     */
    static DataPlane direct(Code code, DataEndpoint endpoint, TlsCredentials tls, Spawner spawner) {
        return new DirectDataPlane(code, endpoint, tls, spawner);
    }

    /** A declared dependency runs (again) at a new endpoint; a peer in use re-connects. */
    void peerUp(PeerUp up);

    /**
     * Reads the data plane's settings ({@code requestTimeout}, {@code sendTimeout}, {@code
     * spawnTimeout}), starts accepting dependents and returns the context to start the service with.
     *
     * @param loader the service's class loader: the context loader of every thread that runs its handlers
     * @throws IllegalArgumentException if a setting is malformed, with a message the user can act on
     */
    ServiceContext open(Path workDir, ClassLoader loader);

    /** Closes every connection and stops listening; never throws. */
    void close();

    /** Asks the manager to spawn a child (R8): the control channel's part of {@code spawn}. */
    interface Spawner {
        /**
         * Sends the request and waits for the manager's answer.
         *
         * @throws TimeoutException if no answer came within {@code timeoutNanos}
         */
        SpawnResult spawn(ChildSpec child, long timeoutNanos) throws InterruptedException, TimeoutException;
    }
}
