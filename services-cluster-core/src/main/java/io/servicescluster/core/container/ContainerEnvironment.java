package io.servicescluster.core.container;

import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the manager gives every container it makes.
 *
 * @param clusterName the cluster's name, for labels and messages
 * @param runDir a private folder (mode 0700) for sockets, removed when the manager ends
 * @param workDir the service's private, writable work directory
 * @param output where the container sends what the remote writes outside the control channel
 *     (the JVM's own messages, a crash report), line by line
 * @param watchdog how long a remote may hear nothing from its controller before it ends itself
 *     (R11: a stopped or hung manager must not keep its services)
 * @param parent for a child spawned at run time (R8), the container of the service that spawned
 *     it: a container kind may place the child where the parent can reach it (the process
 *     container puts the child's data sockets inside the parent's data socket folder, which a
 *     sandboxed parent sees)
 * @param servesData whether the service's remote must serve a data endpoint: true when another
 *     service can send it requests — it has dependents, or may spawn children (which depend on
 *     it), or is a spawned child (its parent talks to it). Without one, a remote binds no socket
 *     at all, which keeps socket set-up off its start (docs/performance.md)
 * @param clusterFile the cluster file, if the cluster came from one: a confined service must not
 *     read it (its {@code settings} hold other services' secrets; docs/security.md)
 * @param otherWritePaths the {@code files.write} paths of the cluster's other declared services:
 *     what they write there is theirs, so a confined service that does not declare a path itself
 *     must not see it (docs/security.md)
 */
public record ContainerEnvironment(String clusterName, Path runDir, Path workDir, OutputSink output, Duration watchdog,
        Optional<ServiceContainer> parent, boolean servesData, Optional<Path> clusterFile, List<Path> otherWritePaths) {

    /** An environment whose cluster's other services write nowhere outside their work directories. */
    public ContainerEnvironment(String clusterName, Path runDir, Path workDir, OutputSink output, Duration watchdog,
            Optional<ServiceContainer> parent, boolean servesData, Optional<Path> clusterFile) {
        this(clusterName, runDir, workDir, output, watchdog, parent, servesData, clusterFile, List.of());
    }

    /** An environment of a cluster made in code, without a cluster file. */
    public ContainerEnvironment(String clusterName, Path runDir, Path workDir, OutputSink output, Duration watchdog,
            Optional<ServiceContainer> parent, boolean servesData) {
        this(clusterName, runDir, workDir, output, watchdog, parent, servesData, Optional.empty());
    }

    public ContainerEnvironment {
        java.util.Objects.requireNonNull(parent, "parent");
        java.util.Objects.requireNonNull(clusterFile, "clusterFile");
        otherWritePaths = List.copyOf(otherWritePaths);
    }

    /** Receives raw output lines of a service; called from container threads. */
    @FunctionalInterface
    public interface OutputSink {
        void line(OutputStream stream, String line);
    }
}
