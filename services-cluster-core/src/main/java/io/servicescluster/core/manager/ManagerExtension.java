package io.servicescluster.core.manager;

import io.servicescluster.core.config.ClusterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Something that serves a manager from outside it, added with {@link ServicesManager.Builder#extension}:
 * operations (control socket, log files, metrics: services-cluster-ops) are one. It sees the manager
 * only through its API — status, events, stop and restart — so the manager knows no extension. The
 * manager runs it with its own resources: {@link #open} once the cluster lock is held, {@link #attach}
 * once the manager exists, {@link #close} when the manager closes, before the lock is released (so
 * that its last writes, such as log files in the state folder, are made under the lock).
 */
public interface ManagerExtension extends AutoCloseable {

    /**
     * Prepares what needs no manager yet, in {@link ServicesManager.Builder#build}, once the cluster
     * lock is held (before that, nothing may be written to the state folder).
     *
     * @param spec the cluster
     * @param stateDir the manager's state folder
     * @return the listeners to register with the manager
     */
    List<ClusterListener> open(ClusterSpec spec, Path stateDir) throws IOException;

    /** Begins serving {@code manager}, before {@code build} returns it; a failure fails the build. */
    void attach(ServicesManager manager) throws IOException;
}
