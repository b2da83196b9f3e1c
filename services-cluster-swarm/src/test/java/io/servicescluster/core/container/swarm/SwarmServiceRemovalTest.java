package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.SecretSpec;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A killed task's swarm service is removed only once the swarm deleted the task
 * ({@link ServiceRemoval}): Docker up to 28 panics, and its whole manager engine ends, when a
 * service is removed while the swarm's task reaper deletes one of its tasks. A CI run lost the
 * test bed's manager to it. The race itself is a matter of microseconds and cannot be provoked on
 * demand; what can be checked is the order that rules it out, on the test bed's real swarm.
 */
class SwarmServiceRemovalTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @BeforeEach
    void testBed() {
        SwarmTests.requireTestBed();
    }

    @Test
    void aKilledTasksServiceIsRemovedOnlyOnceTheSwarmDeletedItsTask() throws Exception {
        DockerClient docker = SwarmTests.client("a");
        String name = "svc-removal-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        String secretId = docker.createSecretCmd(new SecretSpec().withName(name + "-tls")
                .withLabels(Map.of(SwarmLabels.MANAGER_PID, Long.toString(ProcessHandle.current().pid())))
                .withData(Base64.getEncoder().encodeToString("unused".getBytes(StandardCharsets.UTF_8)))).exec().getId();
        // a JVM that waits, paused, until it is killed
        String serviceId = docker.createServiceCmd(new ServiceSpec().withName(name)
                .withLabels(Map.of(SwarmLabels.MANAGER_PID, Long.toString(ProcessHandle.current().pid())))
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage(SwarmTests.IMAGE)
                                .withCommand(List.of(SwarmTests.JAVA, "-XX:+UnlockDiagnosticVMOptions", "-XX:+PauseAtStartup",
                                        "-XX:PauseAtStartupFile=/tmp/paused", "-version")).withStopSignal("SIGKILL"))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE)))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1))))
                .exec().getId();
        List<String> tasksAtRemoval = new CopyOnWriteArrayList<>();
        List<String> removals = new CopyOnWriteArrayList<>();
        try {
            Awaitility.await("its task running").atMost(TIMEOUT).until(() -> docker.listTasksCmd()
                    .withServiceFilter(serviceId).exec().stream().anyMatch(t -> t.getStatus().getState() == TaskState.RUNNING));
            DockerClient watched = watching(request -> {
                if (request.method().equals("DELETE") && request.path().contains("/services/" + serviceId)) {
                    removals.add(request.path());
                    docker.listTasksCmd().withServiceFilter(serviceId).exec()
                            .forEach(task -> tasksAtRemoval.add(describe(task)));
                }
            });
            try (watched; SwarmEvents events = new SwarmEvents(watched)) {
                SwarmRemote remote = new SwarmRemote(watched, events, serviceId, secretId,
                        TaskLogs.follow(watched, serviceId, (stream, line) -> { }), () -> { });

                remote.kill();
                remote.finish(SwarmRemote.FINISH_WAIT_MILLIS);

                assertThat(remote.onExit()).isCompleted();
            }
            assertThat(docker.listServicesCmd().withIdFilter(List.of(serviceId)).exec()).as("the service removed").isEmpty();
            assertThat(removals).as("the service removed once").hasSize(1);
            assertThat(tasksAtRemoval).as("the tasks the swarm still had when the service was removed: none, or "
                    + "its task reaper could be deleting one of them").isEmpty();
        } finally {
            quietly(() -> docker.removeServiceCmd(serviceId).exec());
            quietly(() -> docker.removeSecretCmd(secretId).exec());
        }
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void theReaperMayTakeATaskMarkedRemoveThatEndedOrWasNeverAssigned(TaskState state) {
        boolean onANodeStill = switch (state) {
            case ASSIGNED, ACCEPTED, PREPARING, READY, STARTING, RUNNING -> true;
            default -> false;
        };
        assertThat(ServiceRemoval.reapable(task(TaskState.REMOVE, state))).isEqualTo(!onANodeStill);
        assertThat(ServiceRemoval.reapable(task(TaskState.RUNNING, state))).as("a task not marked REMOVE").isFalse();
        assertThat(ServiceRemoval.reapable(task(TaskState.SHUTDOWN, state))).as("a task not marked REMOVE").isFalse();
    }

    private static Task task(TaskState desired, TaskState state) {
        return new Task().withDesiredState(desired).withStatus(new TaskStatus().withState(state));
    }

    private static String describe(Task task) {
        return task.getId() + " " + task.getStatus().getState() + " (desired " + task.getDesiredState() + ")";
    }

    /** A client of node a's engine that shows every request to {@code before} before it goes out. */
    private static DockerClient watching(java.util.function.Consumer<DockerHttpClient.Request> before) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(SwarmTests.NODES.get("a")).build();
        DockerHttpClient engine = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(5)).build();
        DockerHttpClient watched = new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                before.accept(request);
                return engine.execute(request);
            }

            @Override
            public void close() throws IOException {
                engine.close();
            }
        };
        return DockerClientImpl.getInstance(config, watched);
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // gone already
        }
    }
}
