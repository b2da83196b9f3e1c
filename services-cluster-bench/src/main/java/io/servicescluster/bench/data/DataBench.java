package io.servicescluster.bench.data;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.process.ProcessOptions;
import io.servicescluster.core.container.support.ClusterCa;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The data-plane benchmark (issue 3): the same {@link LoadDriver} against our data plane (two
 * services of a real cluster, Unix domain socket) and against gRPC-java (two JVMs, loopback TCP),
 * one after the other in one run, then a table. Run:
 * {@code java -cp services-cluster-bench.jar io.servicescluster.bench.data.DataBench [ours|grpc|both] [tls]}.
 * With {@code tls} both go over mutual TLS 1.3 on loopback TCP (R17): ours under
 * {@code process: {transport: tls}}, gRPC with Netty over JSSE and certificates of one CA.
 */
public final class DataBench {

    private static final String[] ROWS = {
        "rps.64.1", "rps.64.16", "rps.64.128", "rps.4096.1", "rps.4096.16", "rps.4096.128",
        "p50.64", "p99.64", "p50.4096", "p99.4096", "events.64",
    };

    private DataBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("cpus " + Runtime.getRuntime().availableProcessors() + ", java " + Runtime.version());
        String only = args.length > 0 ? args[0] : "";
        boolean tls = args.length > 1 && args[1].equals("tls");
        Map<String, String> ours = only.equals("grpc") ? Map.of() : ours(tls);
        Map<String, String> grpc = only.equals("ours") ? Map.of() : grpc(tls);
        System.out.println();
        System.out.println(tls ? "| measure | services-cluster (mutual TLS 1.3, loopback TCP) | gRPC-java (netty, JSSE mutual TLS 1.3) | ours / gRPC |"
                : "| measure | services-cluster (unix socket) | gRPC-java (netty, loopback TCP) | ours / gRPC |");
        System.out.println("|---|---:|---:|---:|");
        for (String row : ROWS) {
            double a = Double.parseDouble(ours.getOrDefault(row, "NaN"));
            double b = Double.parseDouble(grpc.getOrDefault(row, "NaN"));
            boolean latency = row.startsWith("p");
            String unit = latency ? " µs" : "/s";
            System.out.printf(Locale.ROOT, "| %s | %s%s | %s%s | %.2f× |%n", describe(row), format(a), unit, format(b),
                    unit, latency ? b / a : a / b);
        }
        System.out.println("(for latencies the ratio is gRPC / ours: above 1 means ours is faster)");
        System.exit(0);
    }

    private static String describe(String row) {
        String[] parts = row.split("\\.");
        return switch (parts[0]) {
            case "rps" -> "requests, " + parts[1] + " B, " + parts[2] + " outstanding";
            case "p50", "p99" -> parts[0] + " latency, " + parts[1] + " B, 1 outstanding";
            default -> "one-way events, " + parts[1] + " B";
        };
    }

    private static String format(double value) {
        return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Our side: a cluster of {@link EchoService} and {@link LoadService}. */
    private static Map<String, String> ours(boolean tls) throws Exception {
        Path classes = Path.of(DataBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path state = Files.createTempDirectory("data-bench");
        ProcessOptions transport = new ProcessOptions(tls ? ProcessOptions.Transport.TLS : ProcessOptions.Transport.PIPES);
        ClusterSpec cluster = ClusterSpec.builder("data-bench")
                .service(ServiceSpec.builder("echo").options(transport)
                        .code(CodeSpec.ofClass(EchoService.class.getName(), classes)))
                .service(ServiceSpec.builder("load").dependsOn("echo").options(transport)
                        .code(CodeSpec.ofClass(LoadService.class.getName(), classes)))
                .build();
        Map<String, String> results = new LinkedHashMap<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ClusterListener listener = new ClusterListener() {
            @Override
            public void onEvent(ServiceEvent event) {
            }

            @Override
            public void onOutput(String service, OutputStream stream, String line) {
                System.out.println("ours   | " + service + " | " + line);
                collect(line, results, done);
            }
        };
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(listener).build()) {
            manager.start();
            manager.awaitRunning(Duration.ofSeconds(60));
            done.get(10, TimeUnit.MINUTES);
        }
        return results;
    }

    /** gRPC's side: a server JVM and a client JVM. */
    private static Map<String, String> grpc(boolean tls) throws Exception {
        Path folder = Files.createTempDirectory("grpc-bench", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        String serverTls = "";
        String clientTls = "";
        if (tls) { // a CA of its own and one certificate per side, as ours has
            ClusterCa ca = ClusterCa.inMemory("grpc-bench");
            serverTls = Files.writeString(folder.resolve("server.pem"), ca.issue("server", "start 1").toPem()).toString();
            clientTls = Files.writeString(folder.resolve("client.pem"), ca.issue("client", "start 1").toPem()).toString();
        }
        Process server = tls ? java("server", serverTls) : java("server");
        Map<String, String> results = new LinkedHashMap<>();
        try {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = serverOut.readLine();
            if (first == null || !first.startsWith("port ")) {
                throw new IllegalStateException("the gRPC server did not start: " + first);
            }
            Process client = tls ? java("client", first.substring(5), clientTls) : java("client", first.substring(5));
            CompletableFuture<Void> done = new CompletableFuture<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null && !done.isDone(); ) {
                    System.out.println("grpc   | " + line);
                    collect(line, results, done);
                }
            } finally {
                client.destroyForcibly().waitFor();
            }
        } finally {
            server.destroyForcibly().waitFor();
        }
        return results;
    }

    /** A JVM with the flags our remotes get, running {@link GrpcBench}. */
    private static Process java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                GrpcBench.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void collect(String line, Map<String, String> results, CompletableFuture<Void> done) {
        if (line.startsWith("result ")) {
            String[] parts = line.split(" ");
            results.put(parts[1], parts[2]);
        } else if (line.equals("done") || line.startsWith("failed")) {
            done.complete(null);
        }
    }

}
