package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.servicescluster.core.container.RemoteProcess.Exit;
import org.junit.jupiter.api.Test;

/** What each state of a pod means for its remote: the mapping the watch applies ({@link PodOutcome}). */
class PodOutcomeTest {

    private static Pod pod(PodStatusBuilder status) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withStatus(status.build()).build();
    }

    private static PodStatusBuilder container(ContainerStatusBuilder container) {
        return new PodStatusBuilder().withPhase("Running").addToContainerStatuses(container.withName("service").build());
    }

    @Test
    void noStatusOrCreatingIsPending() {
        assertThat(PodOutcome.of(new PodBuilder().build())).isEqualTo(PodOutcome.PENDING);
        assertThat(PodOutcome.of(pod(container(new ContainerStatusBuilder().withNewState().withNewWaiting()
                .withReason("ContainerCreating").endWaiting().endState())))).isEqualTo(PodOutcome.PENDING);
    }

    @Test
    void runningContainerIsRunning() {
        assertThat(PodOutcome.of(pod(container(new ContainerStatusBuilder().withNewState().withNewRunning()
                .endRunning().endState())))).isEqualTo(PodOutcome.RUNNING);
    }

    @Test
    void terminatedContainerEndsWithItsCode() {
        PodOutcome outcome = PodOutcome.of(pod(container(new ContainerStatusBuilder().withNewState().withNewTerminated()
                .withExitCode(3).withReason("Error").endTerminated().endState()).withPhase("Failed")));
        assertThat(outcome.kind()).isEqualTo(PodOutcome.Kind.ENDED);
        assertThat(outcome.exit()).isEqualTo(new Exit(3, "exited with code 3", false));

        PodOutcome killed = PodOutcome.of(pod(container(new ContainerStatusBuilder().withNewState().withNewTerminated()
                .withExitCode(137).withReason("Error").endTerminated().endState())));
        assertThat(killed.exit().description()).isEqualTo("was killed by signal 9 (SIGKILL)");
    }

    @Test
    void oomKilledIsOutOfMemory() {
        PodOutcome outcome = PodOutcome.of(pod(container(new ContainerStatusBuilder().withNewState().withNewTerminated()
                .withExitCode(137).withReason("OOMKilled").endTerminated().endState()).withPhase("Failed")));
        assertThat(outcome.kind()).isEqualTo(PodOutcome.Kind.ENDED);
        assertThat(outcome.exit().outOfMemory()).isTrue();
        assertThat(outcome.exit().description()).contains("memory limit").contains("OOMKilled");
    }

    @Test
    void imageProblemsAreUnstartableWithTheApisReason() {
        for (String reason : new String[] {"ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName",
                "CreateContainerConfigError"}) {
            PodOutcome outcome = PodOutcome.of(pod(container(new ContainerStatusBuilder().withNewState().withNewWaiting()
                    .withReason(reason).withMessage("Back-off pulling image \"nope:1\"").endWaiting().endState())
                    .withPhase("Pending")));
            assertThat(outcome.kind()).as(reason).isEqualTo(PodOutcome.Kind.UNSTARTABLE);
            assertThat(outcome.reason()).isEqualTo(reason + ": Back-off pulling image \"nope:1\"");
        }
    }

    @Test
    void unschedulableIsUnstartableWithTheSchedulersMessage() {
        PodOutcome outcome = PodOutcome.of(pod(new PodStatusBuilder().withPhase("Pending").addNewCondition()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 node(s) didn't match node selector.").endCondition()));
        assertThat(outcome.kind()).isEqualTo(PodOutcome.Kind.UNSTARTABLE);
        assertThat(outcome.reason()).isEqualTo("Unschedulable: 0/1 nodes are available: 1 node(s) didn't match node selector.");
    }

    @Test
    void aPodThatFailedWithoutContainerStatusEndedWithItsReason() {
        PodOutcome outcome = PodOutcome.of(pod(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.")));
        assertThat(outcome.kind()).isEqualTo(PodOutcome.Kind.ENDED);
        assertThat(outcome.exit().description()).isEqualTo("ended: its pod failed (Evicted: The node was low on resource: memory.)");
    }

    @Test
    void containerThatCouldNotRunEndsWithTheEnginesMessage() {
        PodOutcome outcome = PodOutcome.of(pod(container(new ContainerStatusBuilder().withNewState().withNewTerminated()
                .withExitCode(127).withReason("ContainerCannotRun").withMessage("exec: \"java\": not found")
                .endTerminated().endState())));
        assertThat(outcome.exit().description()).isEqualTo("could not run: ContainerCannotRun: exec: \"java\": not found");
    }
}
