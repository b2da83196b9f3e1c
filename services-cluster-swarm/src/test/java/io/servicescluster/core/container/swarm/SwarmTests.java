package io.servicescluster.core.container.swarm;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * The test bed as the tests see it (bin/swarm-testbed): two nodes, each a dockerd in a network
 * namespace of its own, node a (10.77.0.1, the swarm's manager) and node b (10.77.0.2); this JVM
 * runs in node a's namespace (surefire's {@code jvm} is src/test/bin/java-in-testbed). Without
 * the test bed the tests are skipped with a loud banner, or fail under {@code SVC_SWARM_REQUIRED}
 * (as {@code .ci/run} sets, which makes the test bed).
 */
final class SwarmTests {

    static final String MANAGER_ADDRESS = "10.77.0.1";
    static final String WORKER_ADDRESS = "10.77.0.2";
    static final String IMAGE = System.getenv().getOrDefault("SVC_SWARM_IMAGE", "svc-swarm-runtime:local");
    static final String JAVA = "/opt/java/bin/java";
    static final Map<String, String> NODES = Map.of("a", "unix:///run/svc-swarm/a.sock", "b", "unix:///run/svc-swarm/b.sock");

    private static final Map<String, DockerClient> clients = new java.util.concurrent.ConcurrentHashMap<>();
    private static String unavailable;
    private static boolean checked;

    private SwarmTests() {
    }

    /** The options of a service on the test bed's swarm, anywhere. */
    static SwarmOptions options() {
        return new SwarmOptions(Optional.of(NODES.get("a")), Optional.empty(), Optional.of(MANAGER_ADDRESS), Optional.of(IMAGE),
                Optional.of(JAVA), Optional.empty(), List.of());
    }

    /** The options of a service on the worker node (b). */
    static SwarmOptions onWorker() {
        return new SwarmOptions(options().engine(), options().tls(), options().advertise(), options().image(), options().java(),
                Optional.empty(), List.of("node.role==worker"));
    }

    /** The folder, on this machine, of the volume that holds the work directory {@code workDir} on its node. */
    static Optional<Path> volumeOf(Path workDir) {
        String suffix = "-" + Integer.toHexString(workDir.toAbsolutePath().toString().hashCode());
        for (String node : NODES.keySet()) {
            Optional<Path> found = client(node).listVolumesCmd().exec().getVolumes().stream()
                    .filter(v -> v.getName().endsWith(suffix)).map(v -> Path.of(v.getMountpoint())).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Removes the work directory volumes the managers of this JVM made, on every node. */
    static void removeVolumes() {
        removeVolumes(ProcessHandle.current().pid());
    }

    /**
     * Removes the work directory volumes the manager with that pid made, on every node: retried
     * while a task container that is being removed still holds one.
     */
    static void removeVolumes(long pid) {
        List<String> filter = List.of(SwarmLabels.MANAGER_PID + "=" + pid);
        Awaitility.await("the volumes of manager " + pid + " removed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    boolean none = true;
                    for (String node : NODES.keySet()) {
                        for (var volume : client(node).listVolumesCmd().withFilter("label", filter).exec().getVolumes()) {
                            none = false;
                            try {
                                client(node).removeVolumeCmd(volume.getName()).exec();
                            } catch (RuntimeException e) {
                                // still in use by a container that is being removed
                            }
                        }
                    }
                    return none;
                });
    }

    /** The options of a service on node {@code node} ({@code a} or {@code b}) of the test bed. */
    static SwarmOptions onNode(String node) {
        return new SwarmOptions(options().engine(), options().tls(), options().advertise(), options().image(), options().java(),
                Optional.empty(), List.of("node.id==" + nodeId(node)));
    }

    /** The swarm's id of test bed node {@code node}. */
    static String nodeId(String node) {
        return client(node).infoCmd().exec().getSwarm().getNodeID();
    }

    /** The test bed answers, this JVM is in node a's namespace; else the test is skipped or fails. */
    static synchronized void requireTestBed() {
        if (!checked) {
            checked = true;
            try {
                if (NetworkInterface.getByInetAddress(InetAddress.getByName(MANAGER_ADDRESS)) == null) {
                    unavailable = "this JVM is not in the test bed's namespace (no " + MANAGER_ADDRESS + " here)";
                } else {
                    Info info = client("a").infoCmd().exec();
                    if (info.getSwarm() == null || info.getSwarm().getNodes() == null || info.getSwarm().getNodes() < 2) {
                        unavailable = "the test bed's swarm has not two nodes";
                    }
                    for (String node : NODES.keySet()) {
                        client(node).inspectImageCmd(IMAGE).exec();
                    }
                }
            } catch (IOException | RuntimeException e) {
                unavailable = "no swarm test bed: " + e;
            }
        }
        if (unavailable != null) {
            System.err.println("\n" + "!".repeat(100) + "\n!!! SWARM TESTS SKIPPED: " + unavailable
                    + "\n!!! run bin/swarm-testbed up (as root) first; .ci/run does\n" + "!".repeat(100));
            if (System.getenv("SVC_SWARM_REQUIRED") != null) {
                fail("SVC_SWARM_REQUIRED is set but " + unavailable);
            }
            Assumptions.abort(unavailable);
        }
    }

    static DockerClient client(String node) {
        return clients.computeIfAbsent(node, n -> {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(NODES.get(n)).build();
            return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(5)).build());
        });
    }

    /** The running task containers, on any node, of this JVM's managers running one of {@code services}. */
    static List<Container> runningContainersOf(String... services) {
        Set<String> names = Set.of(services);
        List<Container> found = new ArrayList<>();
        for (String node : NODES.keySet()) {
            client(node).listContainersCmd()
                    .withLabelFilter(Map.of(SwarmLabels.MANAGER_PID, Long.toString(ProcessHandle.current().pid())))
                    .exec().stream()
                    .filter(c -> c.getLabels() != null && names.contains(c.getLabels().get(SwarmLabels.SERVICE)))
                    .forEach(found::add);
        }
        return found;
    }

    /** The host pid of a task container on one of the nodes (both run on this machine). */
    static Optional<Long> hostPid(Container container) {
        for (String node : NODES.keySet()) {
            try {
                Long pid = client(node).inspectContainerCmd(container.getId()).exec().getState().getPidLong();
                if (pid != null && pid > 0) {
                    return Optional.of(pid);
                }
            } catch (RuntimeException e) {
                // not on this node, or ended
            }
        }
        return Optional.empty();
    }

    /** What the manager with that pid left on the swarm: services, secrets and code configs. */
    static List<String> leftBy(long pid) {
        DockerClient docker = client("a");
        Map<String, String> filter = Map.of(SwarmLabels.MANAGER_PID, Long.toString(pid));
        List<String> left = new ArrayList<>();
        docker.listServicesCmd().withLabelFilter(filter).exec().forEach(s -> left.add("service " + s.getSpec().getName()));
        docker.listSecretsCmd().withLabelFilter(filter).exec().forEach(s -> left.add("secret " + s.getId()));
        docker.listConfigsCmd().exec().stream().filter(c -> c.getSpec().getName().contains("-" + pid + "-"))
                .forEach(c -> left.add("config " + c.getSpec().getName()));
        for (String node : NODES.keySet()) {
            client(node).listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()
                    .forEach(c -> left.add("container " + c.getNames()[0] + " on " + node + " (" + c.getState() + ")"));
        }
        return left;
    }
}
