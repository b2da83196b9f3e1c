package io.servicescluster.bench.data;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.container.support.EngineLabels;
import io.servicescluster.core.container.swarm.SwarmContainerFactory;
import io.servicescluster.core.container.swarm.SwarmOptions;
import io.servicescluster.core.container.swarm.SwarmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * (x) The data plane across two nodes (issue 15's benchmark, docs/performance.md), on the swarm
 * test bed of bin/swarm-testbed: node a (10.77.0.1) and node b (10.77.0.2), two network
 * namespaces joined by a veth pair. Both sides run the same {@link LoadDriver} from node a
 * against an echo on node b, over mutual TLS 1.3 (JSSE), interleaved round by round:
 *
 * <ul>
 *   <li><b>ours</b>: a real cluster, {@code echo} and {@code load} as {@code container: swarm}
 *       services placed on b and a, managed by a {@link io.servicescluster.core.manager.ServicesManager}
 *       in a JVM of its own in node a's namespace ({@code CrossNodeBench ours}, as the swarm tests'
 *       JVM runs: the tasks connect back to its control sockets at 10.77.0.1); the two remotes
 *       talk directly, node to node.
 *   <li><b>gRPC-java</b>: {@link GrpcBench}'s server JVM in node b's namespace on 10.77.0.2, its
 *       client JVM in node a's ({@code nsenter --net}); not swarm tasks, since gRPC's jars exceed
 *       what a swarm config carries (500 KiB) and the image holds only a JDK.
 * </ul>
 *
 * The row fails, naming what is missing, when the test bed is not up; after each round it
 * removes what the round's manager left on the nodes (its work volumes) and fails if a swarm
 * service, secret or container of it remains.
 */
public final class CrossNodeBench {

    /** The rows of the table, in order: the one-host rows, plus the latencies under 16 and 128 outstanding. */
    private static final List<String> ROWS = rows();
    private static final Duration CLEAN_TIMEOUT = Duration.ofSeconds(30);

    /** One node of the test bed: its name, its address inside its namespace. */
    record Node(String name, String address) {
        String namespace() {
            return "svc-swarm-" + name;
        }
    }

    static final Node A = new Node("a", "10.77.0.1");
    static final Node B = new Node("b", "10.77.0.2");
    static final String IMAGE = Optional.ofNullable(System.getenv("SVC_SWARM_IMAGE")).orElse("svc-swarm-runtime:local");
    /** The {@code java} of bin/swarm-testbed's image. */
    private static final String JAVA_IN_IMAGE = "/opt/java/bin/java";

    /** Raised when the test bed is not there: the row cannot run, and says what to do. */
    public static final class TestBedDown extends IllegalStateException {
        TestBedDown(String message) {
            super(message);
        }
    }

    private final Path netns;
    private final Path sockets;

    CrossNodeBench(Path netns, Path sockets) {
        this.netns = netns;
        this.sockets = sockets;
    }

    /** The test bed where bin/swarm-testbed makes it. */
    public static CrossNodeBench testBed() {
        return new CrossNodeBench(Path.of("/run/netns"), Path.of("/run/svc-swarm"));
    }

    private static List<String> rows() {
        List<String> rows = new ArrayList<>();
        for (int size : LoadDriver.SIZES) {
            for (int outstanding : LoadDriver.OUTSTANDING) {
                rows.add("rps." + size + "." + outstanding);
            }
        }
        for (int size : LoadDriver.SIZES) {
            for (int outstanding : LoadDriver.OUTSTANDING) {
                String suffix = outstanding == 1 ? "" : "." + outstanding;
                rows.add("p50." + size + suffix);
                rows.add("p99." + size + suffix);
            }
        }
        rows.add("events.64");
        return List.copyOf(rows);
    }

    private String engine(Node node) {
        return "unix://" + sockets.resolve(node.name() + ".sock");
    }

    private List<String> nsenter(Node node) {
        return List.of("nsenter", "--net=" + netns.resolve(node.namespace()));
    }

    /**
     * Checks that both nodes' namespaces and engines are there, that they form a swarm of two
     * nodes, and that each has the runtime image.
     *
     * @throws TestBedDown saying what is missing
     */
    public void requireTestBed() {
        List<String> missing = new ArrayList<>();
        for (Node node : List.of(A, B)) {
            if (!Files.exists(netns.resolve(node.namespace()))) {
                missing.add("no network namespace " + netns.resolve(node.namespace()));
            } else if (!Files.exists(sockets.resolve(node.name() + ".sock"))) {
                missing.add("no engine socket " + sockets.resolve(node.name() + ".sock"));
            } else {
                try (DockerClient docker = client(node)) {
                    Info info = docker.infoCmd().exec();
                    if (node == A && (info.getSwarm() == null || info.getSwarm().getNodes() == null
                            || info.getSwarm().getNodes() < 2)) {
                        missing.add("node a's engine is not the manager of a swarm of two nodes");
                    }
                    docker.inspectImageCmd(IMAGE).exec();
                } catch (IOException | RuntimeException e) {
                    missing.add("node " + node.name() + "'s engine at " + engine(node) + " or its image " + IMAGE
                            + ": " + e.getMessage());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new TestBedDown("(x) runs across the two nodes of the swarm test bed, which is not up ("
                    + String.join("; ", missing) + "): run bin/swarm-testbed up (as root), then bench --only x again");
        }
    }

    /** Runs {@code rounds} interleaved rounds of both sides and prints the table. */
    public void run(int rounds) throws Exception {
        requireTestBed();
        List<Map<String, String>> ours = new ArrayList<>();
        List<Map<String, String>> grpc = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        try {
            for (int round = 1; round <= rounds; round++) {
                String load = DataBench.loadAverage();
                System.out.println("(x) round " + round + " of " + rounds + ", load average " + load);
                Map<String, String> our = ours();
                grpc.add(DataBench.grpc(false, true, nsenter(B), nsenter(A), B.address()));
                ours.add(our);
                loads.add(load);
            }
        } finally { // a round that fails still leaves the table of those before it
            if (!ours.isEmpty()) {
                loads.add(DataBench.loadAverage());
                print(ours, grpc, loads);
            }
        }
    }

    /** Our side, once: the manager's JVM in node a's namespace; then nothing of it may be left. */
    private Map<String, String> ours() throws Exception {
        Process manager = DataBench.java(nsenter(A), List.of("-Dbench.dispatch=" + DataBench.dispatch()),
                CrossNodeBench.class, "ours");
        Map<String, String> results = new LinkedHashMap<>();
        try {
            DataBench.clientResults("(x) ", manager, results);
        } finally {
            manager.destroyForcibly().waitFor();
            cleanUp(manager.pid());
        }
        if (!results.keySet().containsAll(ROWS)) {
            throw new IllegalStateException("(x) our side ended without all its results: " + results.keySet());
        }
        return results;
    }

    /**
     * Removes the work volumes the manager with that pid made on the nodes (the swarm kind keeps
     * them between starts), waiting while its tasks' containers go; fails if a swarm service,
     * secret, config, container or volume of it remains after {@link #CLEAN_TIMEOUT}, having
     * removed its services and secrets (so that a failed round leaves no task running either).
     */
    private void cleanUp(long pid) throws Exception {
        Map<String, String> label = Map.of(EngineLabels.MANAGER_PID, Long.toString(pid));
        long deadline = System.nanoTime() + CLEAN_TIMEOUT.toNanos();
        List<String> left = leftBy(label);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200); // engine objects that the engines remove: nothing to wait on but their absence
            left = leftBy(label);
        }
        if (!left.isEmpty()) {
            removeSwarmObjects(label);
            throw new IllegalStateException("(x) the manager " + pid + " left on the swarm test bed (its swarm services "
                    + "and secrets now removed): " + left);
        }
    }

    /** Removes the swarm services and secrets that carry {@code label}: what a manager that did not close left. */
    private void removeSwarmObjects(Map<String, String> label) throws IOException {
        try (DockerClient docker = client(A)) {
            for (var service : docker.listServicesCmd().withLabelFilter(label).exec()) {
                docker.removeServiceCmd(service.getId()).exec();
            }
            for (var secret : docker.listSecretsCmd().withLabelFilter(label).exec()) {
                docker.removeSecretCmd(secret.getId()).exec();
            }
        }
    }

    /** What carries {@code label} on the nodes, after removing its volumes that are no longer in use. */
    private List<String> leftBy(Map<String, String> label) throws IOException {
        List<String> left = new ArrayList<>();
        for (Node node : List.of(A, B)) {
            try (DockerClient docker = client(node)) {
                if (node == A) { // the swarm's own objects live in its manager
                    docker.listServicesCmd().withLabelFilter(label).exec()
                            .forEach(s -> left.add("service " + s.getSpec().getName()));
                    docker.listSecretsCmd().withLabelFilter(label).exec().forEach(s -> left.add("secret " + s.getId()));
                    String manager = "-" + label.get(EngineLabels.MANAGER_PID) + "-"; // code configs: named, not labelled
                    docker.listConfigsCmd().exec().stream().filter(c -> c.getSpec().getName().contains(manager))
                            .forEach(c -> left.add("config " + c.getSpec().getName()));
                }
                docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec()
                        .forEach(c -> left.add("container " + c.getNames()[0] + " on " + node.name()));
                List<String> filter = label.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
                var volumes = docker.listVolumesCmd().withFilter("label", filter).exec().getVolumes();
                for (var volume : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of() : volumes) {
                    try {
                        docker.removeVolumeCmd(volume.getName()).exec();
                    } catch (RuntimeException e) {
                        left.add("volume " + volume.getName() + " on " + node.name() + " (in use)");
                    }
                }
            }
        }
        return left;
    }

    /** The table: each row's median over the rounds, then every round's figures. */
    private static void print(List<Map<String, String>> ours, List<Map<String, String>> grpc, List<String> loads) {
        System.out.println();
        System.out.println("(x) across two nodes of the swarm test bed (a -> b, veth), mutual TLS 1.3 both sides; load average "
                + String.join(" -> ", loads.stream().map(l -> l.split(" ")[0]).toList()));
        System.out.println("| measure | services-cluster (container: swarm, a -> b; echo " + DataBench.dispatch()
                + ") | gRPC-java (Netty, JSSE, a -> b; " + DataBench.grpcExecutor() + " executors) "
                + "| ours vs gRPC |");
        System.out.println("|---|---:|---:|---:|");
        for (String row : ROWS) {
            boolean latency = row.startsWith("p");
            double a = DataBench.median(ours, row);
            double b = DataBench.median(grpc, row);
            String unit = latency ? " µs" : "/s";
            System.out.printf(Locale.ROOT, "| %s | %s%s | %s%s | %.2f× |%n", DataBench.describe(row), DataBench.format(a),
                    unit, DataBench.format(b), unit, latency ? b / a : a / b);
        }
        System.out.println("(ours vs gRPC: ours / gRPC for throughput, gRPC / ours for latencies: above 1 ours is better;"
                + " medians over " + ours.size() + " round(s). Issue 15's targets: >= 2x gRPC's throughput at 128"
                + " outstanding, p99 <= gRPC's)");
        for (String row : ROWS) {
            System.out.println("  " + row + ": ours " + ours.stream().map(r -> r.get(row)).toList() + ", gRPC "
                    + grpc.stream().map(r -> r.get(row)).toList());
        }
    }

    /**
     * {@code ours}: our side's manager (in node a's namespace, launched by {@link #run}): runs the
     * cluster until the load is done and closed, then prints its results and {@code done}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !args[0].equals("ours")) {
            System.err.println("usage: CrossNodeBench ours (run by bin/bench --only x, in node a's network namespace)");
            System.exit(2);
        }
        CrossNodeBench bed = testBed();
        SwarmSettings settings = new SwarmSettings(bed.engine(A), Optional.of(A.address()), IMAGE, JAVA_IN_IMAGE);
        ClusterSpec cluster = ClusterSpec.builder("xbench")
                .service(DataBench.echo().container("swarm").options(bed.placedOn(B)))
                .service(DataBench.load(false).container("swarm").options(bed.placedOn(A)))
                .build();
        Map<String, String> results = DataBench.runCluster(cluster,
                manager -> manager.containerFactory(new SwarmContainerFactory(settings)));
        results.forEach((key, value) -> System.out.println("result " + key + " " + value));
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }

    /**
     * Swarm options that place a service on {@code node}, by its swarm id: the test bed's nodes
     * share this machine's host name, so {@code placement.node} cannot tell them apart.
     */
    private SwarmOptions placedOn(Node node) throws IOException {
        try (DockerClient docker = client(node)) {
            String id = docker.infoCmd().exec().getSwarm().getNodeID();
            return new SwarmOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), List.of("node.id==" + id));
        }
    }

    private DockerClient client(Node node) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(engine(node))
                .build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(5)).build());
    }
}
