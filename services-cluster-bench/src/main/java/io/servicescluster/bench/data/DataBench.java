package io.servicescluster.bench.data;

import io.servicescluster.bench.Bench;
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
import java.util.function.UnaryOperator;

/**
 * The data-plane benchmark (issues 3 and 14): the same {@link LoadDriver} against our data plane
 * (two services of a real cluster, Unix domain socket), against gRPC-java (two JVMs, loopback TCP)
 * and against the floor, a raw Unix-socket ping-pong ({@link RawSocketBench}, two JVMs, latency
 * rows only), one after the other in one run, then a table. Run:
 * {@code java -cp services-cluster-bench.jar io.servicescluster.bench.data.DataBench [all|ours|grpc|floor]
 * [--latency] [--rounds N]}: {@code --latency} runs only the latency rows; {@code --rounds N} runs
 * the sides N times interleaved (ours, gRPC, floor, ours, ...) and reports each row's median, so
 * that a machine whose load changes during the run treats every side alike.
 * With {@code tls} ours and gRPC go over mutual TLS 1.3 on loopback TCP (R17): ours under
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
        String only = "all";
        boolean latency = false;
        boolean tls = false;
        int rounds = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--latency" -> latency = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "tls" -> tls = true;
                case "all", "ours", "grpc", "floor" -> only = args[i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: DataBench [all|ours|grpc|floor] [tls] [--latency] [--rounds N]");
            }
        }
        List<Map<String, String>> ours = new ArrayList<>();
        List<Map<String, String>> grpc = new ArrayList<>();
        List<Map<String, String>> floor = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            System.out.println("round " + round + ", load average " + loadAverage());
            if (only.equals("all") || only.equals("ours")) {
                ours.add(ours(latency, tls));
            }
            if (only.equals("all") || only.equals("grpc")) {
                grpc.add(grpc(latency, tls));
            }
            if (only.equals("all") || only.equals("floor")) {
                floor.add(floor());
            }
        }
        System.out.println("load average at the end " + loadAverage());
        System.out.println();
        System.out.println(tls ? "| measure | services-cluster (mutual TLS 1.3, loopback TCP; echo " + dispatch()
                + ") | gRPC-java (netty, JSSE mutual TLS 1.3; " + DataBench.grpcExecutor() + " executors) | floor: raw Java unix-socket ping-pong"
                + " | ours vs gRPC | ours / floor |"
                : "| measure | services-cluster (unix socket; echo " + dispatch() + ") | gRPC-java (netty, loopback TCP;"
                + " " + grpcExecutor() + " executors) | floor: raw Java unix-socket ping-pong | ours vs gRPC | ours / floor |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String row : ROWS) {
            boolean isLatency = row.startsWith("p");
            if (latency && !isLatency) {
                continue;
            }
            double a = median(ours, row);
            double b = median(grpc, row);
            double c = median(floor, row);
            String unit = isLatency ? " µs" : "/s";
            System.out.printf(Locale.ROOT, "| %s | %s%s | %s%s | %s | %.2f× | %s |%n", describe(row), format(a), unit,
                    format(b), unit, isLatency ? format(c) + unit : "–", isLatency ? b / a : a / b,
                    isLatency ? String.format(Locale.ROOT, "%.2f×", a / c) : "–");
        }
        System.out.println("(ours vs gRPC: ours / gRPC for throughput, gRPC / ours for latencies, so above 1 ours is"
                + " better; ours / floor: issue 14's target is at most 2×; medians over " + rounds + " round(s))");
        System.exit(0);
    }

    static double median(List<Map<String, String>> runs, String row) {
        double[] values = runs.stream().filter(run -> run.containsKey(row))
                .mapToDouble(run -> Double.parseDouble(run.get(row))).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int half = values.length / 2;
        return values.length % 2 == 1 ? values[half] : (values[half - 1] + values[half]) / 2;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static String describe(String row) {
        String[] parts = row.split("\\.");
        return switch (parts[0]) {
            case "rps" -> "requests, " + parts[1] + " B, " + parts[2] + " outstanding";
            case "p50", "p99" -> parts[0] + " latency, " + parts[1] + " B, "
                    + (parts.length > 2 ? parts[2] + " outstanding" : "1 outstanding");
            default -> "one-way events, " + parts[1] + " B";
        };
    }

    static String format(double value) {
        return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Our side: a cluster of {@link EchoService} and {@link LoadService}. */
    private static Map<String, String> ours(boolean latency, boolean tls) throws Exception {
        ProcessOptions transport = new ProcessOptions(tls ? ProcessOptions.Transport.TLS : ProcessOptions.Transport.PIPES);
        // -Dbench.jvm="-XX:+DumpPerfMapAtExit …": extra flags for both services' JVMs; with
        // -Dbench.unconfined=true they write the map to the host's /tmp, where perf finds it (profiling)
        boolean unconfined = Boolean.getBoolean("bench.unconfined");
        String[] flags = System.getProperty("bench.jvm", "").isBlank() ? new String[0]
                : System.getProperty("bench.jvm").trim().split("\\s+");
        ClusterSpec cluster = ClusterSpec.builder("data-bench")
                .service(echo().options(transport).jvmOptions(flags).unconfined(unconfined))
                .service(load(latency).options(transport).jvmOptions(flags).unconfined(unconfined))
                .build();
        return runCluster(cluster, UnaryOperator.identity());
    }

    /**
     * The echo service of our side, its container left to the caller. Its handler runs where
     * {@code -Dbench.dispatch} says: {@code direct} (the default: on the reading thread, as gRPC's
     * handler runs on its event loop here) or {@code thread} (a thread of its own, onRequest's way).
     */
    static ServiceSpec.Builder echo() throws Exception {
        return ServiceSpec.builder("echo").setting("dispatch", dispatch())
                .code(CodeSpec.ofClass(EchoService.class.getName(), classes()));
    }

    /** Where gRPC's handler runs: {@code direct} (the event loop) or {@code default} (its thread pool). */
    static String grpcExecutor() {
        String executor = System.getProperty(GrpcBench.EXECUTOR, "direct");
        if (!executor.equals("direct") && !executor.equals("default")) { // a typo would measure direct under another name
            throw new IllegalArgumentException("-D" + GrpcBench.EXECUTOR + " must be direct or default, not " + executor);
        }
        return executor;
    }

    /** Where our echo's handler runs: {@code direct} or {@code thread}. */
    static String dispatch() {
        String dispatch = System.getProperty("bench.dispatch", "direct");
        if (!dispatch.equals("direct") && !dispatch.equals("thread")) {
            throw new IllegalArgumentException("-Dbench.dispatch must be direct or thread, not " + dispatch);
        }
        return dispatch;
    }

    /** The load service of our side (every row, or the latency rows only), its container left to the caller. */
    static ServiceSpec.Builder load(boolean latency) throws Exception {
        return ServiceSpec.builder("load").dependsOn("echo").setting("rows", latency ? "latency" : "all")
                .code(CodeSpec.ofClass(LoadService.class.getName(), classes()));
    }

    /** This module's classes (its jar, or its class folder in a development run): the services' code. */
    private static Path classes() throws Exception {
        return Path.of(DataBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * Runs {@code cluster} (its {@code load} service reports results on its output) until the load
     * is done, then closes it; {@code setup} completes the manager (another container kind).
     */
    static Map<String, String> runCluster(ClusterSpec cluster, UnaryOperator<ServicesManager.Builder> setup)
            throws Exception {
        Path state = Files.createTempDirectory("data-bench");
        Map<String, String> results = new LinkedHashMap<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ClusterListener listener = new ClusterListener() {
            @Override
            public void onEvent(ServiceEvent event) {
                // a service that fails or crashes ends the run at once, rather than after the load's timeout
                if (event.type() == ServiceEvent.Type.FAILED || event.type() == ServiceEvent.Type.CRASHED) {
                    done.completeExceptionally(new IllegalStateException("'" + event.service() + "' "
                            + event.type().wireName() + ": " + event.detail("reason")));
                }
            }

            @Override
            public void onOutput(String service, OutputStream stream, String line) {
                System.out.println("ours   | " + service + " | " + line);
                collect(line, results, done);
            }
        };
        try (ServicesManager manager = setup.apply(ServicesManager.builder(cluster).stateDir(state).listener(listener))
                .build()) {
            manager.start();
            manager.awaitRunning(Duration.ofSeconds(60));
            done.get(10, TimeUnit.MINUTES);
        } finally {
            Bench.deleteTree(state);
        }
        return results;
    }

    /** gRPC's side: a server JVM and a client JVM, on loopback. */
    private static Map<String, String> grpc(boolean latency, boolean tls) throws Exception {
        return grpc(latency, tls, List.of(), List.of(), "127.0.0.1");
    }

    /**
     * gRPC's side: a server JVM listening on {@code host} and a client JVM calling it there, each
     * launched through its {@code wrapper} (a command that runs the JVM elsewhere, e.g. in a network
     * namespace; empty for none).
     */
    static Map<String, String> grpc(boolean latency, boolean tls, List<String> serverWrapper,
            List<String> clientWrapper, String host) throws Exception {
        Path folder = Files.createTempDirectory("grpc-bench", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        String serverTls = "";
        String clientTls = "";
        if (tls) { // a CA of its own and one certificate per side, as ours has
            ClusterCa ca = ClusterCa.inMemory("grpc-bench");
            serverTls = Files.writeString(folder.resolve("server.pem"), ca.issue("server", "start 1").toPem()).toString();
            clientTls = Files.writeString(folder.resolve("client.pem"), ca.issue("client", "start 1").toPem()).toString();
        }
        List<String> flags = List.of("-D" + GrpcBench.HOST + "=" + host,
                "-D" + GrpcBench.SSL + "=" + System.getProperty(GrpcBench.SSL, "jdk"),
                "-D" + GrpcBench.EXECUTOR + "=" + grpcExecutor());
        Process server = tls ? java(serverWrapper, flags, GrpcBench.class, "server", serverTls)
                : java(serverWrapper, flags, GrpcBench.class, "server");
        Map<String, String> results = new LinkedHashMap<>();
        try {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = serverOut.readLine();
            if (first == null || !first.startsWith("port ")) {
                throw new IllegalStateException("the gRPC server did not start: " + first);
            }
            List<String> clientArgs = new ArrayList<>(List.of("client", first.substring(5), latency ? "latency" : "all"));
            if (tls) {
                clientArgs.add(clientTls);
            }
            clientResults("grpc   | ", java(clientWrapper, flags, GrpcBench.class, clientArgs.toArray(String[]::new)),
                    results);
        } finally {
            server.destroyForcibly().waitFor();
            Bench.deleteTree(folder);
        }
        return results;
    }

    /** The floor: {@link RawSocketBench}'s server and client JVMs on a Unix socket in a temporary folder. */
    private static Map<String, String> floor() throws Exception {
        Path folder = Files.createTempDirectory("data-bench-floor");
        String socket = folder.resolve("echo.sock").toString();
        Process server = java(RawSocketBench.class, "server", socket);
        Map<String, String> results = new LinkedHashMap<>();
        try {
            String first = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (!"ready".equals(first)) {
                throw new IllegalStateException("the raw socket server did not start: " + first);
            }
            clientResults("floor  | ", java(RawSocketBench.class, "client", socket), results);
        } finally {
            server.destroyForcibly().waitFor();
            Files.deleteIfExists(Path.of(socket));
            Files.deleteIfExists(folder);
        }
        return results;
    }

    /** Collects a client JVM's results until it says it is done, then ends it. */
    static void clientResults(String prefix, Process client, Map<String, String> results) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null && !done.isDone(); ) {
                System.out.println(prefix + line);
                collect(line, results, done);
            }
        } finally {
            client.destroyForcibly().waitFor();
        }
    }

    /** A JVM with the flags our remotes get, running {@code main}. */
    private static Process java(Class<?> main, String... args) throws Exception {
        return java(List.of(), List.of(), main, args);
    }

    /** A JVM with the flags our remotes get and {@code flags}, running {@code main}, launched through {@code wrapper}. */
    static Process java(List<String> wrapper, List<String> flags, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static void collect(String line, Map<String, String> results, CompletableFuture<Void> done) {
        if (line.startsWith("result ")) {
            String[] parts = line.split(" ");
            results.put(parts[1], parts[2]);
        } else if (line.equals("done") || line.startsWith("failed")) {
            done.complete(null);
        }
    }

}
