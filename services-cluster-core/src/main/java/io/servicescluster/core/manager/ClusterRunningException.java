package io.servicescluster.core.manager;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Thrown by {@link ServicesManager.Builder#build()} when another manager runs the same cluster:
 * one that holds the lock of the same state folder ({@code .svc/CLUSTER} beside the cluster
 * file), whose work directories and log files a second manager would share.
 */
public final class ClusterRunningException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String cluster;
    private final transient OptionalLong pid;

    ClusterRunningException(String cluster, Path stateDir, OptionalLong pid) {
        super("cluster '" + cluster + "' is already running (manager pid "
                + (pid.isPresent() ? Long.toString(pid.getAsLong()) : "unknown") + ", state folder " + stateDir + ")");
        this.cluster = cluster;
        this.pid = pid;
    }

    /** The cluster's name. */
    public String cluster() {
        return cluster;
    }

    /** The process id of the manager running it, if it could be read. */
    public OptionalLong pid() {
        return pid;
    }
}
