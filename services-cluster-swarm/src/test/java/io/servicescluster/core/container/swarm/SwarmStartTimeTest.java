package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.TestClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not an assertion (docs/performance.md): on the test bed's worker, a swarm service's start —
 * {@code starting} to {@code running}: certificate, secret, configs, swarm service, task, JVM,
 * TLS hello, the service's start — against a bare {@code docker service create} of the same image
 * to its task {@code running}, in rounds that alternate.
 */
class SwarmStartTimeTest {

    private static final int ROUNDS = 5;
    private static final Set<TaskState> REACHED_RUNNING = EnumSet.of(TaskState.RUNNING, TaskState.COMPLETE,
            TaskState.FAILED, TaskState.SHUTDOWN);

    @TempDir
    Path state;

    @Test
    void printsTheStartOfASwarmServiceAgainstABareServiceCreate() throws Exception {
        SwarmTests.requireTestBed();
        List<Long> ours = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        for (int round = 0; round <= ROUNDS; round++) {
            long svc = serviceStart(round);
            long plain = bareCreate(round);
            if (round > 0) { // the first round warms caches up (the CA, the JIT, the node's image layers)
                ours.add(svc);
                bare.add(plain);
            }
        }
        Collections.sort(ours);
        Collections.sort(bare);
        System.out.println("swarm: start to running on the worker, median of " + ROUNDS + ": container: swarm "
                + ours.get(ROUNDS / 2) + " ms (" + ours + "), bare docker service create to task running "
                + bare.get(ROUNDS / 2) + " ms (" + bare + ")");
        assertThat(ours.get(ROUNDS / 2)).isPositive();
    }

    private long serviceStart(int round) throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("timed")
                .service(SwarmUnderTest.INSTANCE.adapt(TestClusters.idle("timed"))).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state.resolve("round" + round))
                .listener(events).containerFactory(SwarmUnderTest.FACTORY).build()) {
            manager.start();
            manager.awaitRunning(Duration.ofSeconds(60));
            return Duration.between(events.first("timed", Type.STARTING).orElseThrow().time(),
                    events.first("timed", Type.RUNNING).orElseThrow().time()).toMillis();
        } finally {
            SwarmTests.removeVolumes();
        }
    }

    /** {@code docker service create} of the image running {@code java -version}, to its task's first state at or past running (read every 10 ms). */
    private static long bareCreate(int round) throws Exception {
        DockerClient docker = SwarmTests.client("a");
        String hostNetwork = docker.listNetworksCmd().withNameFilter("host").exec().stream()
                .filter(n -> "host".equals(n.getName())).findFirst().orElseThrow().getId();
        ServiceSpec spec = new ServiceSpec().withName("svc-bare-" + ProcessHandle.current().pid() + "-" + round)
                .withLabels(Map.of(SwarmLabels.MANAGER_PID, Long.toString(ProcessHandle.current().pid())))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage(SwarmTests.IMAGE)
                                .withCommand(List.of(SwarmTests.JAVA, "-version")))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE))
                        .withPlacement(new ServicePlacement().withConstraints(List.of("node.role==worker")))
                        .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(hostNetwork))))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
        long begin = System.nanoTime();
        String id = docker.createServiceCmd(spec).exec().getId();
        try {
            while (true) {
                List<Task> tasks = docker.listTasksCmd().withServiceFilter(id).exec();
                if (tasks.stream().anyMatch(t -> t.getStatus() != null && REACHED_RUNNING.contains(t.getStatus().getState()))) {
                    return (System.nanoTime() - begin) / 1_000_000;
                }
                Thread.sleep(10);
            }
        } finally {
            docker.removeServiceCmd(id).exec();
        }
    }
}
