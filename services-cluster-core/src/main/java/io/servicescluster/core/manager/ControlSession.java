package io.servicescluster.core.manager;

import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What the decision loop says to a launched remote: for real a {@link
 * io.servicescluster.core.control.ServiceController} over the remote's control channel; in a
 * simulation, answers in virtual time. The session reports back by posting inputs to the loop
 * ({@code started}, {@code startFailed}, {@code closed}, {@code connectionLost},
 * {@code spawnRequested}), tagged with the start's generation. Methods are called on the loop and
 * must not block.
 */
interface ControlSession {

    /** Asks the service to close; its {@code Closed} comes back as an input. */
    void requestClose();

    /** Answers the service's request to spawn a child (R8). */
    void spawnResult(SpawnResult result);

    /** Stops talking to the remote (it is being killed, or has ended); idempotent. */
    void stop();

    /** Opens sessions: the seam between the loop and the remotes it drives. */
    interface Opener {

        /**
         * Begins start number {@code generation} of {@code node} on {@code remote}: sends the code
         * ({@code classpath} resolved off the loop) and the dependencies' endpoints, then
         * {@code Start}.
         */
        ControlSession open(DecisionLoop loop, ServiceNode node, int generation, RemoteProcess remote,
                List<Path> classpath);
    }
}
