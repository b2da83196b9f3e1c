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
         * Talks to a launched {@code remote} of {@code node} before any start: keeps it alive
         * (heartbeats) and reports nothing but its loss, by running {@code lostBeforeStart}, until
         * {@link Waiting#start}. Every remote is prepared, at once before its start or, launched
         * ahead (issue 14), while its service waits for its dependencies or runs (a spare).
         */
        Waiting prepare(DecisionLoop loop, ServiceNode node, RemoteProcess remote, Runnable lostBeforeStart);
    }

    /** A prepared remote, which no start has used yet. Methods are called on the loop and must not block. */
    interface Waiting {

        /**
         * Begins start number {@code generation} on the remote: sends the code ({@code classpath}
         * resolved off the loop) and the dependencies' endpoints, then {@code Start}. From now on
         * the session reports to the loop, tagged with {@code generation}; a loss before it is
         * reported to this start too. At most once (R10).
         */
        ControlSession start(int generation, List<Path> classpath);

        /** Stops talking to the remote (it is being killed); idempotent. */
        void stop();

        /**
         * Sends the code now, with {@code capabilityKey} (the key of the one start that will take
         * this remote) and {@code classpath}, so that the remote loads the service's class while it
         * waits; the {@link #start} then sends only where the dependencies run, and the start. At
         * most once, before the start. By default nothing: the start sends the code.
         */
        default void sendCodeAhead(String capabilityKey, List<Path> classpath) {
        }

        /** The resident memory of the remote as it last reported it while waiting; 0 before a report. Any thread. */
        default long rssBytes() {
            return 0;
        }
    }
}
