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
    private static final int FAILED_LISTINGS = 3;

    private ServiceRemoval() {
    }

    /**
     * Removes the service once the reaper took its tasks that it may take (at most {@code
     * reapWaitMillis}; past that it is removed all the same). Throws as the removal does. An
     * interrupt does not cut the wait short (the removal would then race the reaper): it is kept
     * for the caller, set again once the service is removed.
     */
    static void remove(DockerClient docker, String serviceId, long reapWaitMillis) {
        boolean interrupted = awaitReaped(docker, serviceId, reapWaitMillis);
        try {
            docker.removeServiceCmd(serviceId).exec();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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

    /**
     * Waits, at most {@code millis}, until no task of the service is one the reaper may take. A
     * listing that fails (a leader election, a slow engine) is tried again, up to {@value
     * #FAILED_LISTINGS} times in a row: past that the engine is taken for gone, and there is
     * nothing to wait for. An interrupt is noted, not obeyed.
     *
     * @return whether the thread was interrupted meanwhile (its flag cleared)
     */
    static boolean awaitReaped(DockerClient docker, String serviceId, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        boolean interrupted = false;
        int failedInARow = 0;
        while (System.nanoTime() < deadline) {
            try {
                List<Task> tasks = docker.listTasksCmd().withServiceFilter(serviceId).exec();
                if (tasks.stream().noneMatch(ServiceRemoval::reapable)) {
                    break;
                }
                failedInARow = 0;
            } catch (RuntimeException e) {
                if (++failedInARow >= FAILED_LISTINGS) {
                    break;
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted || Thread.interrupted();
    }
}
