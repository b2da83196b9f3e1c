package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import java.util.List;

/**
 * Removes a swarm service without bringing down the swarm manager's engine.
 *
 * <p>Why this waits: Docker up to 28 (swarmkit before its commit 8d571f3, November 2025) panics,
 * and so the whole {@code dockerd} of the manager node ends, when a service is removed while the
 * swarm's task reaper deletes one of its tasks. On removal the orchestrator lists the service's
 * tasks, then updates each; a task the reaper deleted in between is read back as nothing and
 * dereferenced. The reaper deletes, in batches every 0.25 s, the tasks marked {@code REMOVE} (by a
 * scale-down, as {@link SwarmRemote#kill} does, or by a removal) once they ended or if they were
 * never assigned. So a service is removed only once none of its tasks is one the reaper may take.
 * A CI run of ours lost the test bed's manager engine to exactly this (its stack:
 * {@code SetServiceTasksRemove}, orchestrator/service.go).
 */
final class ServiceRemoval {

    /** How long a removal waits for the reaper: it takes a task within about 0.25–0.5 s of its end. */
    static final long REAP_WAIT_MILLIS = 3000;
    private static final long POLL_MILLIS = 50;

    private ServiceRemoval() {
    }

    /**
     * Removes the service once the reaper took its tasks that it may take (at most {@code
     * reapWaitMillis}; past that it is removed all the same). Throws as the removal does.
     */
    static void remove(DockerClient docker, String serviceId, long reapWaitMillis) {
        awaitReaped(docker, serviceId, reapWaitMillis);
        docker.removeServiceCmd(serviceId).exec();
    }

    /** Whether swarmkit's task reaper may delete this task at any moment. */
    static boolean reapable(Task task) {
        if (task.getDesiredState() != TaskState.REMOVE || task.getStatus() == null || task.getStatus().getState() == null) {
            return false;
        }
        return switch (task.getStatus().getState()) {
            // not yet assigned to a node, or ended: both go at the reaper's next batch
            case NEW, ALLOCATED, PENDING, COMPLETE, SHUTDOWN, FAILED, REJECTED, REMOVE, ORPHANED -> true;
            // on a node that has not reported its end yet: the reaper waits for that report
            case ASSIGNED, ACCEPTED, PREPARING, READY, STARTING, RUNNING -> false;
        };
    }

    /** Waits, at most {@code millis}, until no task of the service is one the reaper may take. */
    static void awaitReaped(DockerClient docker, String serviceId, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (anyReapable(docker, serviceId) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean anyReapable(DockerClient docker, String serviceId) {
        try {
            List<Task> tasks = docker.listTasksCmd().withServiceFilter(serviceId).exec();
            return tasks.stream().anyMatch(ServiceRemoval::reapable);
        } catch (RuntimeException e) {
            return false; // the service or the engine is gone: nothing to wait for
        }
    }
}
