package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.servicescluster.core.container.RemoteProcess.Exit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one state of a pod, as a watch reports it, means for the remote inside: nothing decisive
 * yet, running, never going to start (a bad image, no node to run on: the API's reason), or
 * ended (how). A pure function of the pod, so that every mapping is tested without a cluster.
 *
 * @param kind which of the four
 * @param reason for {@link Kind#UNSTARTABLE}, the API's reason and message
 * @param exit for {@link Kind#ENDED}, how the remote ended
 */
record PodOutcome(Kind kind, String reason, Exit exit) {

    enum Kind { PENDING, RUNNING, UNSTARTABLE, ENDED }

    /** The container's name in every pod this kind makes. */
    static final String CONTAINER = "service";

    /**
     * Waiting reasons after which the container will not start by itself (the kubelet keeps
     * retrying some, but not within a start timeout, and the manager decides restarts).
     */
    static final Set<String> UNSTARTABLE_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
            "InvalidImageName", "ImageInspectError", "RegistryUnavailable", "CreateContainerConfigError",
            "CreateContainerError", "RunContainerError", "CrashLoopBackOff");

    static final PodOutcome PENDING = new PodOutcome(Kind.PENDING, null, null);
    static final PodOutcome RUNNING = new PodOutcome(Kind.RUNNING, null, null);

    static PodOutcome unstartable(String reason) {
        return new PodOutcome(Kind.UNSTARTABLE, reason, null);
    }

    static PodOutcome ended(Exit exit) {
        return new PodOutcome(Kind.ENDED, null, exit);
    }

    /** What {@code pod}'s status says; a pod without one is pending. */
    static PodOutcome of(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return PENDING;
        }
        Optional<ContainerStatus> container = nonNull(status.getContainerStatuses()).stream()
                .filter(c -> CONTAINER.equals(c.getName())).findFirst();
        if (container.isPresent() && container.get().getState() != null) {
            ContainerStateTerminated terminated = container.get().getState().getTerminated();
            if (terminated != null) {
                return ended(exitOf(terminated));
            }
            ContainerStateWaiting waiting = container.get().getState().getWaiting();
            if (waiting != null && UNSTARTABLE_REASONS.contains(waiting.getReason())) {
                return unstartable(words(waiting.getReason(), waiting.getMessage()));
            }
            if (container.get().getState().getRunning() != null) {
                return RUNNING;
            }
        }
        String phase = status.getPhase();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) { // ended without a container status: evicted, …
            return ended(new Exit(-1, "ended: its pod " + phase.toLowerCase(java.util.Locale.ROOT)
                    + (status.getReason() == null ? "" : " (" + words(status.getReason(), status.getMessage()) + ")"),
                    false));
        }
        for (PodCondition condition : nonNull(status.getConditions())) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
                    && "Unschedulable".equals(condition.getReason())) {
                return unstartable(words(condition.getReason(), condition.getMessage()));
            }
        }
        return PENDING;
    }

    /**
     * When {@code pod} ended, if it did: its container's {@code finishedAt}, else (a pod ended
     * without one: evicted) its conditions' last change, else its creation.
     */
    static Optional<java.time.Instant> endedAt(Pod pod) {
        if (of(pod).kind() != Kind.ENDED) {
            return Optional.empty();
        }
        PodStatus status = pod.getStatus();
        Optional<String> finished = nonNull(status.getContainerStatuses()).stream()
                .filter(c -> CONTAINER.equals(c.getName()) && c.getState() != null && c.getState().getTerminated() != null)
                .map(c -> c.getState().getTerminated().getFinishedAt()).filter(java.util.Objects::nonNull).findFirst();
        return finished.or(() -> nonNull(status.getConditions()).stream().map(PodCondition::getLastTransitionTime)
                        .filter(java.util.Objects::nonNull).max(java.util.Comparator.naturalOrder()))
                .or(() -> Optional.ofNullable(pod.getMetadata().getCreationTimestamp()))
                .map(java.time.Instant::parse);
    }

    /** How a terminated container ended; {@code OOMKilled} is the kernel's memory limit (out of memory). */
    static Exit exitOf(ContainerStateTerminated terminated) {
        int code = terminated.getExitCode() == null ? -1 : terminated.getExitCode();
        String reason = terminated.getReason();
        if ("OOMKilled".equals(reason)) {
            return new Exit(code, "was killed by the kernel for exceeding its memory limit (OOMKilled, exit code "
                    + code + ")", true);
        }
        if ("ContainerCannotRun".equals(reason) || "StartError".equals(reason)) {
            return new Exit(code, "could not run: " + words(reason, terminated.getMessage()), false);
        }
        return new Exit(code, Exit.describeStatus(code), false);
    }

    private static String words(String reason, String message) {
        return message == null || message.isBlank() ? reason : reason + ": " + message.strip();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
