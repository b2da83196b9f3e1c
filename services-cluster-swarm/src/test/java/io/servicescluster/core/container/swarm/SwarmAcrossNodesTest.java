package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Container;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.RestartPolicy.Policy;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.core.container.support.ClusterCa;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.TlsCredentials;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.ListeningPorts;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.DataClient;
import io.servicescluster.testing.services.DataServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Across the test bed's two nodes (R17, issue 15 items 3 and 4): requests, replies and events
 * between services on different nodes, direct and over mutual TLS; a node whose link is cut is a
 * crash of its service within the heartbeat timeout (R9); {@code kill -9} of the manager leaves
 * nothing on any node once the remotes exited and the clean-up ran (R11).
 */
class SwarmAcrossNodesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path state;

    @BeforeEach
    void testBed() {
        SwarmTests.requireTestBed();
    }

    @AfterEach
    void nothingLeft() throws Exception {
        setLink("b", true);
        Awaitility.await("nothing of this manager left on the swarm").atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(SwarmTests.leftBy(ProcessHandle.current().pid())).isEmpty());
        SwarmTests.removeVolumes();
    }

    private ServicesManager.Builder manager(ClusterSpec cluster, RecordingListener events) {
        return ServicesManager.builder(cluster).stateDir(state).listener(events)
                .containerFactory(SwarmUnderTest.FACTORY)
                .heartbeatInterval(HEARTBEAT_TIMEOUT.dividedBy(4)).heartbeatTimeout(HEARTBEAT_TIMEOUT);
    }

    private static ServiceSpec.Builder on(String node, ServiceSpec.Builder service) {
        return service.container(SwarmKind.NAME).options(SwarmTests.onNode(node));
    }

    /** A data server on node {@code serverNode} and a client on {@code clientNode} that runs {@code scenarios} against it. */
    private static ClusterSpec serverAndClient(String name, String serverNode, String clientNode, String scenarios) {
        return ClusterSpec.builder(name)
                .service(on(serverNode, ServiceSpec.builder("server")
                        .code(CodeSpec.ofClass(DataServer.class.getName(), TestClusters.testClasses()))))
                .service(on(clientNode, ServiceSpec.builder("client").dependsOn("server").setting("server", "server")
                        .setting("scenarios", scenarios)
                        .code(CodeSpec.ofClass(DataClient.class.getName(), TestClusters.testClasses()))))
                .build();
    }

    @Test
    void servicesOnTwoNodesCallEachOtherDirectlyOverTls() throws Exception {
        ClusterSpec cluster = serverAndClient("spread", "a", "b", "echo,events,publish");
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster, events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(SwarmTests.runningContainersOf("server")).singleElement()
                    .satisfies(c -> assertThat(nodeOf(c)).isEqualTo("a"));
            assertThat(SwarmTests.runningContainersOf("client")).singleElement()
                    .satisfies(c -> assertThat(nodeOf(c)).isEqualTo("b"));
            // SPEC §5: a service on another host says where on its created event; placed by
            // constraints (not pinned to a node by name), that is the swarm manager's engine
            assertThat(events.events()).filteredOn(e -> e.type() == Type.CREATED).extracting(e -> e.detail("host"))
                    .containsOnly(SwarmTests.options().engine().orElseThrow());
            long begin = System.nanoTime();
            for (String scenario : List.of("echo", "events", "publish")) {
                Awaitility.await(scenario + " across nodes").atMost(TIMEOUT).until(() -> result(events, scenario).isPresent());
                assertThat(result(events, scenario).orElseThrow()).startsWith("ok " + scenario);
            }
            System.out.println("swarm: echo (9600 requests), 100000 events and 10000 published across two nodes in "
                    + Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms");
        }
    }

    private static Optional<String> result(RecordingListener events, String scenario) {
        return events.lines("client", OutputStream.STDOUT).stream()
                .filter(l -> l.startsWith("ok " + scenario) || l.startsWith("FAIL " + scenario)).findFirst();
    }

    /** The test bed node ({@code a}, {@code b}) whose engine runs {@code container}. */
    private static String nodeOf(Container container) {
        for (String node : SwarmTests.NODES.keySet()) {
            try {
                SwarmTests.client(node).inspectContainerCmd(container.getId()).exec();
                return node;
            } catch (RuntimeException e) {
                // not there
            }
        }
        return "none";
    }

    @Test
    void acrossNodesPlainTcpAndAForeignCertificateAreRefusedOnTheDataPlaneAndTheControlPorts() throws Exception {
        ClusterSpec cluster = serverAndClient("guarded", "b", "a", "echo");
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster, events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            Awaitility.await("echo across nodes").atMost(TIMEOUT).until(() -> result(events, "echo").isPresent());
            // the server's data port on node b, as its task's sockets say (the nodes run on this machine)
            List<Integer> dataPorts = ListeningPorts.of(manager.status("server").pid().orElseThrow(), ListeningPorts.ANY);
            assertThat(dataPorts).as("the server's data port on every address of node b").hasSize(1);
            InetSocketAddress data = new InetSocketAddress(SwarmTests.WORKER_ADDRESS, dataPorts.getFirst());
            // the manager's control ports on 10.77.0.1, one per service
            List<Integer> controlPorts = ListeningPorts.of(ProcessHandle.current().pid(), ListeningPorts.SWARM_MANAGER_NODE);
            assertThat(controlPorts).as("the manager's control ports").hasSize(2);
            TlsCredentials forged = ClusterCa.inMemory("guarded").issue("client", "start 1");
            List<InetSocketAddress> all = new java.util.ArrayList<>(List.of(data));
            controlPorts.forEach(port -> all.add(new InetSocketAddress(SwarmTests.MANAGER_ADDRESS, port)));
            for (InetSocketAddress address : all) {
                try (SocketChannel plain = SocketChannel.open(address)) {
                    plain.write(ByteBuffer.wrap("hello?\n".getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer answer = ByteBuffer.allocate(64);
                    while (plain.read(answer) >= 0) { // at most a TLS alert, then the end
                        assertThat(answer.position()).as("what %s answers in the clear", address).isLessThan(16);
                    }
                }
                String endpoint = "tls:" + address.getHostString() + ":" + address.getPort();
                assertThatThrownBy(() -> {
                    try (ByteChannel channel = ConnectionPorts.openChannel(endpoint, forged,
                            address.equals(data) ? "server" : TlsCredentials.MANAGER)) {
                        ConnectionPorts.handshake(channel);
                        channel.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0}));
                        channel.read(ByteBuffer.allocate(64));
                    }
                }).as("a certificate of another CA at %s", endpoint).isInstanceOf(IOException.class);
            }
            Awaitility.await("the server says so").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    events.lines("server", OutputStream.STDERR)).as("the server's stderr")
                    .filteredOn(l -> l.contains("refused a data connection from") && l.contains("the TLS handshake failed"))
                    .hasSizeGreaterThanOrEqualTo(2));
            assertThat(manager.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(ServiceState.RUNNING));
        }
    }

    @Test
    void aNodeWhoseLinkIsCutIsACrashOfItsServiceWithinTheHeartbeatTimeout() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("cut").service(on("b", TestClusters.idle("far"))).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster, events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long cut = System.nanoTime();
            setLink("b", false);
            ServiceEvent crashed = events.await("far", Type.CRASHED, HEARTBEAT_TIMEOUT.multipliedBy(5));
            Duration noticed = Duration.ofNanos(System.nanoTime() - cut);
            System.out.println("swarm: a cut link noticed as a crash after " + noticed.toMillis() + " ms (heartbeat timeout "
                    + HEARTBEAT_TIMEOUT.toMillis() + " ms): " + crashed.detail("reason"));
            assertThat(crashed.detail("reason")).contains("unresponsive");
            assertThat(noticed).isLessThan(HEARTBEAT_TIMEOUT.plusSeconds(2));
        } finally {
            setLink("b", true);
        }
    }

    @Test
    void aServiceOnANodeThatDropsOffRestartsOnTheOtherNode() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("roaming")
                .service(TestClusters.idle("roamer").container(SwarmKind.NAME).options(SwarmTests.options())
                        .restart(new RestartPolicy(Policy.ON_FAILURE, 3, Duration.ofSeconds(60), Duration.ofMillis(100))))
                .build();
        RecordingListener events = new RecordingListener();
        setAvailability("a", "drain"); // so that the first start goes to b
        try (ServicesManager manager = manager(cluster, events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(SwarmTests.runningContainersOf("roamer")).singleElement()
                    .satisfies(c -> assertThat(nodeOf(c)).isEqualTo("b"));
            setAvailability("a", "active");
            long cut = System.nanoTime();
            setLink("b", false);
            events.await("roamer", Type.CRASHED, HEARTBEAT_TIMEOUT.multipliedBy(5));
            Awaitility.await("roamer runs again, on a").atMost(TIMEOUT).until(() -> events.historyOf("roamer").stream()
                    .filter("running"::equals).count() == 2);
            System.out.println("swarm: a service on a node cut off ran again on the other node "
                    + Duration.ofNanos(System.nanoTime() - cut).toMillis() + " ms after the cut");
            assertThat(SwarmTests.runningContainersOf("roamer")).filteredOn(c -> nodeOf(c).equals("a")).hasSize(1);
            assertThat(events.historyOf("roamer")).containsSubsequence("running", "crashed", "restarting", "starting",
                    "running");
        } finally {
            setAvailability("a", "active");
            setLink("b", true);
        }
    }

    /** Sets test bed node {@code node}'s availability in the swarm ({@code active}, {@code drain}). */
    private static void setAvailability(String node, String availability) throws Exception {
        run("docker", "-H", SwarmTests.NODES.get("a"), "node", "update", "--availability", availability,
                SwarmTests.nodeId(node));
    }

    @Test
    void aTaskTheSwarmCannotPlaceFailsAtOnceWithTheSwarmsReason() throws Exception {
        SwarmOptions nowhere = SwarmTests.options().onNode("no-such-node");
        ClusterSpec cluster = ClusterSpec.builder("unplaced")
                .service(TestClusters.idle("lost").container(SwarmKind.NAME).options(nowhere))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster, events).build()) {
            manager.start();
            ServiceEvent failed = events.await("lost", Type.FAILED, TIMEOUT);
            assertThat(failed.detail("reason")).contains("the swarm cannot run 'lost'")
                    .contains("no suitable node");
            ServiceEvent starting = events.first("lost", Type.STARTING).orElseThrow();
            assertThat(Duration.between(starting.time(), failed.time())).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aManagerKilledWithSigkillLeavesNothingOnAnyNodeOnceCleanedUp() throws Exception {
        Process manager = new ProcessBuilder(Processes.java(SwarmManagerMain.class.getName(), state.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(manager.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // the manager's log
            }
            assertThat(line).as("the child manager's output ended before it was ready").isEqualTo("ready");
            String pid = Long.toString(manager.pid());
            List<Container> tasks = SwarmTests.client("b").listContainersCmd()
                    .withLabelFilter(java.util.Map.of(SwarmLabels.MANAGER_PID, pid)).exec();
            assertThat(tasks).singleElement().satisfies(c -> assertThat(c.getState()).isEqualTo("running"));
            String id = tasks.getFirst().getId();

            long killed = System.nanoTime();
            manager.destroyForcibly();
            manager.waitFor();
            Awaitility.await("the task stops").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !Boolean.TRUE.equals(SwarmTests.client("b").inspectContainerCmd(id).exec().getState()
                            .getRunning()));
            System.out.println("swarm: the task on the worker stopped " + Duration.ofNanos(System.nanoTime() - killed)
                    .toMillis() + " ms after kill -9 of its manager");
            assertThat(SwarmTests.leftBy(manager.pid())).as("what the swarm keeps of a dead manager").isNotEmpty();

            // the next manager's first use of the engine (or svc clean) removes the rest, found by label
            assertThat(SwarmLabels.removeOrphans(SwarmTests.client("a"), Optional.empty(), Optional.empty())).isNotEmpty();
            Awaitility.await("nothing left on any node").atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(SwarmTests.leftBy(manager.pid())).isEmpty());
        } finally {
            manager.destroyForcibly();
            manager.waitFor();
            SwarmLabels.removeOrphans(SwarmTests.client("a"), Optional.empty(), Optional.empty());
            SwarmTests.removeVolumes(manager.pid()); // its work directory, on the worker
        }
    }

    /** Sets node {@code node}'s end of the test bed's link up or down, inside its namespace. */
    private static void setLink(String node, boolean up) throws Exception {
        run("ip", "-n", "svc-swarm-" + node, "link", "set", "svcsw-" + node, up ? "up" : "down");
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
    }
}
