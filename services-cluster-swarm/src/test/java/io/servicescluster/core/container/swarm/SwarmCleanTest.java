package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.CleanReport;
import io.servicescluster.core.container.CleanScope;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.support.EngineLabels;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.TestClusters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code svc clean} for the swarm kind ({@link SwarmContainerFactory#clean}; issue 15 item 3) on
 * the test bed: a killed manager's services, secrets and configs go, a live manager's stay; a
 * service of another host goes only once its task ended longer ago than the grace. And issue 15's
 * "default capabilities": a task drops every capability.
 */
class SwarmCleanTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @BeforeEach
    void testBed() {
        SwarmTests.requireTestBed();
    }

    @AfterEach
    void nothingLeft() {
        Awaitility.await("nothing of this manager left on the swarm").atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(SwarmTests.leftBy(ProcessHandle.current().pid())).isEmpty());
        SwarmTests.removeVolumes();
    }

    /** What a clean reported, as the CLI would print it. */
    private static final class Recorded implements CleanReport {
        final List<String> removed = new ArrayList<>();
        final List<String> failed = new ArrayList<>();

        @Override
        public void removed(String engine, String what) {
            removed.add(engine + ": " + what);
        }

        @Override
        public void failed(String engine, String problem) {
            failed.add(engine + ": " + problem);
        }
    }

    /** The cluster file's view: a swarm service naming the test bed's manager node as its engine. */
    private static CleanScope scope(String cluster, Duration grace) {
        ServiceSpec named = TestClusters.idle("any").container(SwarmKind.NAME).options(SwarmTests.onWorker()).build();
        return new CleanScope(Optional.of(cluster), List.of(named), grace);
    }

    @Test
    void cleanRemovesWhatAKilledManagerLeftAndKeepsWhatALiveOneRuns() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("orphaned")
                .service(SwarmUnderTest.INSTANCE.adapt(TestClusters.idle("kept"))).build();
        Process killed = new ProcessBuilder(Processes.java(SwarmManagerMain.class.getName(), state.resolve("dead")
                .toString())).redirectErrorStream(true).start();
        try (ServicesManager live = ServicesManager.builder(cluster).stateDir(state.resolve("live"))
                .listener(new RecordingListener()).containerFactory(SwarmUnderTest.FACTORY).build()) {
            live.start();
            awaitReady(killed);
            live.awaitRunning(TIMEOUT);
            String task = SwarmTests.client("b").listContainersCmd()
                    .withLabelFilter(Map.of(SwarmLabels.MANAGER_PID, Long.toString(killed.pid()))).exec().getFirst().getId();
            killed.destroyForcibly();
            killed.waitFor();
            Awaitility.await("the task stops").atMost(Duration.ofSeconds(15)).until(() -> !Boolean.TRUE.equals(
                    SwarmTests.client("b").inspectContainerCmd(task).exec().getState().getRunning()));
            assertThat(SwarmTests.leftBy(killed.pid())).isNotEmpty();

            Recorded report = new Recorded();
            SwarmUnderTest.FACTORY.clean(scope("orphaned", CleanScope.DEFAULT_GRACE), report);

            assertThat(report.failed).isEmpty();
            assertThat(report.removed).as("one line each: the service, its secret, the code configs")
                    .anyMatch(l -> l.startsWith(SwarmTests.NODES.get("a") + ": swarm service svc-orphaned-left-")
                            && l.contains("left by manager pid " + killed.pid() + " on " + EngineLabels.hostName()
                            + " that died"))
                    .anyMatch(l -> l.contains("swarm secret svc-orphaned-left-"))
                    .anyMatch(l -> l.contains("swarm config svc-code-"));
            Awaitility.await("nothing of the killed manager left on any node").atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(SwarmTests.leftBy(killed.pid())).isEmpty());
            assertThat(live.status("kept").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(SwarmTests.runningContainersOf("kept")).as("the live manager's task").hasSize(1);
        } finally {
            killed.destroyForcibly();
            killed.waitFor();
            SwarmLabels.removeOrphans(SwarmTests.client("a"), Optional.empty(), Optional.empty());
            SwarmTests.removeVolumes(killed.pid());
        }
    }

    @Test
    void aServiceOfAnotherHostGoesOnlyOnceItsTaskEndedLongerAgoThanTheGrace() throws Exception {
        DockerClient docker = SwarmTests.client("a");
        Map<String, String> labels = Map.of(SwarmLabels.CLUSTER, "far", SwarmLabels.SERVICE, "gone",
                SwarmLabels.HOST, "a-lost-host", SwarmLabels.MANAGER_PID, "1", EngineLabels.MANAGER_START, "x");
        String id = docker.createServiceCmd(new com.github.dockerjava.api.model.ServiceSpec().withName("svc-far-gone-1")
                .withLabels(labels)
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage(SwarmTests.IMAGE)
                                .withCommand(List.of(SwarmTests.JAVA, "-version")))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE)))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1))))
                .exec().getId();
        try {
            Awaitility.await("its task ended").atMost(TIMEOUT).until(() -> docker.listTasksCmd().withServiceFilter(id)
                    .exec().stream().anyMatch(t -> t.getStatus().getState() == TaskState.COMPLETE));

            Recorded kept = new Recorded();
            SwarmUnderTest.FACTORY.clean(scope("far", Duration.ofHours(1)), kept);
            assertThat(kept.removed).as("ended just now: its manager may still want it").isEmpty();
            assertThat(docker.listServicesCmd().withIdFilter(List.of(id)).exec()).hasSize(1);

            Recorded removed = new Recorded();
            SwarmUnderTest.FACTORY.clean(scope("far", Duration.ofMillis(1)), removed);
            assertThat(removed.removed).singleElement().asString().contains("swarm service svc-far-gone-1 of far/gone")
                    .contains("left by manager pid 1 on a-lost-host, ended long ago");
            assertThat(docker.listServicesCmd().withIdFilter(List.of(id)).exec()).isEmpty();
        } finally {
            try {
                docker.removeServiceCmd(id).exec();
            } catch (RuntimeException gone) {
                // removed by the test
            }
        }
    }

    /** Reads its own /proc/self/status: a start with any effective capability fails, naming them. */
    private static final String CAPABILITIES = """
            import io.servicescluster.api.*;
            import java.nio.file.*;
            public class Caps implements Service {
              public void start(ServiceContext context) throws Exception {
                String effective = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).strip();
                System.out.println("CapEff " + effective);
                if (Long.parseLong(effective, 16) != 0) {
                  throw new IllegalStateException("effective capabilities " + effective);
                }
              }
            }
            """;

    @Test
    void aTaskDropsEveryCapability() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("capped").service(SwarmUnderTest.INSTANCE.adapt(
                ServiceSpec.builder("caps").code(CodeSpec.ofSource(CAPABILITIES)))).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events)
                .containerFactory(SwarmUnderTest.FACTORY).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            Container task = SwarmTests.runningContainersOf("caps").getFirst();
            InspectContainerResponse inspected = SwarmTests.client("b").inspectContainerCmd(task.getId()).exec();
            assertThat(inspected.getHostConfig().getCapDrop()).as("docker inspect: HostConfig.CapDrop")
                    .extracting(Object::toString).containsExactly("ALL");
            assertThat(manager.status("caps").state()).isEqualTo(ServiceState.RUNNING);
        }
    }

    @Test
    void anEngineSpokenToBelowApi141IsRefusedForItWouldDropTheCapabilityDrop() {
        System.setProperty(DefaultDockerClientConfig.API_VERSION, "1.40"); // as DOCKER_API_VERSION=1.40
        try (SwarmEngine engine = new SwarmEngine(new SwarmEngine.Address(SwarmTests.NODES.get("a"), java.util.Optional.empty()))) {
            assertThatThrownBy(engine::client).isInstanceOf(ContainerException.class)
                    .hasMessageContaining("speaks API 1.40, older than 1.41 (Docker 20.10), which a task's capability "
                            + "drop needs; upgrade it, or unset DOCKER_API_VERSION");
        } finally {
            System.clearProperty(DefaultDockerClientConfig.API_VERSION);
        }
    }

    private static void awaitReady(Process manager) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(manager.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            // the manager's log
        }
        assertThat(line).as("the child manager's output ended before it was ready").isEqualTo("ready");
    }
}
