package io.servicescluster.bench;

import io.servicescluster.core.container.process.ProcessOptions;
import io.servicescluster.bench.data.CrossNodeBench;
import io.servicescluster.bench.services.Trivial;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.process.ProcessContainerFactory;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.manager.ServicesManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The start-up and crash-detection benchmark (docs/performance.md): each scenario of the
 * framework side by side with its floor, measured in the same run with the same {@code java}.
 *
 * <pre>
 *   (a) one trivial class service, manager.start() to running   vs  java -cp payload.jar Hello
 *       (and a source service, compiled by the manager, its cache warm: reported as extra time)
 *   (b) 20 independent trivial services to all running          vs  20 java Hello in parallel
 *   (c) chain c -> a -> b, SIGKILL b: kill to a and c closed    vs  SIGKILL of a bare JVM to onExit
 *   (d) 20 source services to all running, warm class cache      vs  20 class services
 *   (d') the same, cold cache, each side in a fresh manager JVM     vs  20 class services, fresh JVM
 *   (e) 100 class services in a 5-layer DAG to all running      vs  100 java Hello in parallel
 *   (f) kill -9 of a service, restart (backoff 0) to running, pool 1  vs  java Hello
 *   (h) a health endpoint turns bad: until crashed                vs  interval x retries
 *   (h') the manager's CPU with 100 services checked every second  vs  the same without checks
 *   (i) the manager's CPU with 100 idle services (the second half of (h'))      target < 3 % of one core
 *   profile: where the cold start of (a) goes, from -Xlog:class+load timestamps
 *   (x) requests across two swarm nodes over mutual TLS       vs  gRPC-java across the same nodes
 *       (not in the default run: it needs bin/swarm-testbed's test bed and root; {@link CrossNodeBench})
 * </pre>
 *
 * Usage: {@code bin/bench [--quick] [--only a,b,c,d,e,f,h,profile,u,x]}. Every run gets a fresh state folder
 * under one temporary folder; every manager is closed; no process is left behind (checked).
 */
public final class Bench {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String SOURCE = """
            import io.servicescluster.api.Service;
            import io.servicescluster.api.ServiceContext;

            public class SourceTrivial implements Service {
                @Override
                public void start(ServiceContext context) {
                }
            }
            """;

    private final Path payload;
    private final Path temp;
    private final RemoteRuntime runtime;
    private final String java;
    private final boolean quick;
    private final RemoteRuntime custom;
    /**
     * The remotes seen, as handles: a handle knows its process's start time, so a pid that the
     * system gave to another process since (a run starts some 10,000 processes; pid_max is often
     * 32,768) is not taken for a remote left behind.
     */
    private final Set<ProcessHandle> remotePids = ConcurrentHashMap.newKeySet();
    private final ResultTable rows = new ResultTable();
    private final List<String> notes = new ArrayList<>();
    private final BareJvms bare;
    private int runCounter;

    private Bench(Path payload, Path temp, boolean quick, List<String> remoteFlags) {
        this.payload = payload;
        this.temp = temp;
        this.quick = quick;
        RemoteRuntime detected = RemoteRuntime.detect(cdsDir());
        if (remoteFlags.isEmpty()) {
            this.runtime = detected;
            this.custom = null;
        } else { // an experiment: the remote's flags plus these, for every one of our runs
            List<String> options = new ArrayList<>(detected.jvmOptions());
            options.addAll(remoteFlags);
            this.runtime = new RemoteRuntime(detected.javaExecutable(), detected.classpath(), options);
            this.custom = this.runtime;
        }
        this.java = runtime.javaExecutable().toString();
        this.bare = new BareJvms(java, payload, runtime);
    }

    /** The floors' bare JVMs (for {@link StartProfile}). */
    BareJvms bare() {
        return bare;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Set<String> only = Set.of("a", "b", "c", "d", "e", "f", "h", "profile");
        List<String> remoteFlags = new ArrayList<>();
        long hold = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--remote-flag" -> remoteFlags.add(args[++i]);
                case "--hold" -> hold = Long.parseLong(args[++i]);
                case "--tls" -> transport = new ProcessOptions(ProcessOptions.Transport.TLS);
                default -> {
                    System.err.println("usage: bench [--quick] [--only a,b,c,d,e,f,h,profile,u,x] [--remote-flag FLAG]... [--hold SECONDS] "
                            + "[--tls]");
                    System.exit(2);
                }
            }
        }
        Path temp = Files.createTempDirectory("sc-bench-");
        int status = 0;
        boolean failed = false;
        try {
            Bench bench = new Bench(payloadJar(), temp, quick, remoteFlags);
            if (hold > 0) {
                bench.hold(hold);
            } else {
                bench.run(only);
            }
        } catch (CrossNodeBench.TestBedDown e) {
            System.err.println("bench: " + e.getMessage());
            failed = true;
        } finally {
            status = reapLeftovers();
            deleteTree(temp);
        }
        System.exit(failed ? 1 : status);
    }

    private void run(Set<String> only) throws Exception {
        long began = System.nanoTime();
        if (only.contains("x")) { // before anything else runs: without the test bed, fail at once
            CrossNodeBench.testBed().requireTestBed();
        }
        printMachine();
        prepareClassData();
        if (only.contains("a")) {
            coldStart();
        }
        if (only.contains("b")) {
            parallelStart();
        }
        if (only.contains("c")) {
            crashChain();
        }
        if (only.contains("d")) {
            new SourceRows(this, quick).run(rows, notes);
        }
        if (only.contains("e")) {
            new ScaleRows(this, quick).run(rows, notes);
        }
        if (only.contains("f")) {
            new PoolRows(this, quick).run(rows, notes);
        }
        if (only.contains("h")) {
            new HealthRows(this, quick).run(rows, notes);
        }
        if (only.contains("profile")) {
            new StartProfile(this).run();
        }
        if (only.contains("u")) {
            new DashboardRows(this, quick).run(notes);
        }
        if (only.contains("x")) {
            CrossNodeBench.testBed().run(quick ? 1 : 3);
        }
        rows.print();
        notes.forEach(n -> System.out.println("  " + n));
        checkNoRemoteLeft();
        System.out.printf(Locale.ROOT, "%nwhole run: %.1f s%n", (System.nanoTime() - began) / 1e9);
    }

    // ---- the machine ----------------------------------------------------------------------

    private void printMachine() throws IOException {
        System.out.println("services-cluster bench");
        System.out.println("  machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        System.out.println("  java:    " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ") at "
                + System.getProperty("java.home"));
        System.out.println("  remote:  " + String.join(" ", runtime.jvmOptions()));
        System.out.println("  remote classpath: " + runtime.classpath().stream().map(p -> p.getFileName().toString()).toList());
        cdsArchive().ifPresentOrElse(
                a -> System.out.println("  class-data file: " + a + (Files.exists(a) ? " (exists already)" : " (made first)")),
                () -> System.out.println("  class-data file: none (the remote's class path is not all jars)"));
        System.out.println();
    }

    /**
     * Makes sure the remote's class-data file exists before anything is measured, as it does on a
     * machine where the cluster ran once: one service started and closed (on JDK 21–24 its exit
     * writes the CDS archive; on JDK 25+ it starts the AOT cache's training run), then a wait for
     * the file.
     */
    private void prepareClassData() throws Exception {
        java.util.Optional<Path> file = cdsArchive();
        if (file.isEmpty() || Files.isRegularFile(file.get())) {
            return;
        }
        System.out.print("making the class-data file...");
        long began = System.nanoTime();
        oursSingle(classCode(), null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.isRegularFile(file.get()) && System.nanoTime() < deadline) {
            Thread.sleep(50); // a file another process writes: nothing to wait on but its appearance
        }
        System.out.printf(Locale.ROOT, " %s in %.1f s%n%n", Files.isRegularFile(file.get()) ? "made" : "NOT made",
                (System.nanoTime() - began) / 1e9);
    }

    /** The remote's class-data file: its AOT cache (JDK 25+) or CDS archive. */
    java.util.Optional<Path> cdsArchive() {
        return runtime.sharedArchive();
    }

    // ---- (a) cold start -------------------------------------------------------------------

    private void coldStart() throws Exception {
        int warm = 3;
        int runs = quick ? 5 : 15;
        CodeSpec trivial = classCode();
        List<String> hello = bare.command(List.of());
        List<String> bareLight = bare.command(bare.lightFlags());
        System.out.print("(a) cold start: warm-up");
        for (int i = 0; i < warm; i++) {
            oursSingle(trivial, null);
            bare.once(hello);
            bare.once(bareLight);
            System.out.print(".");
        }
        unconfinedStart = true;
        oursSingle(trivial, null);
        unconfinedStart = false;
        List<Long> ours = new ArrayList<>();
        List<Long> open = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        List<Long> floorLight = new ArrayList<>();
        System.out.print(" runs");
        for (int i = 0; i < runs; i++) { // interleaved, so that drift hits both sides alike
            ours.add(oursSingle(trivial, null));
            unconfinedStart = true; // what the default confinement costs (issue 18): the same, opted out
            open.add(oursSingle(trivial, null));
            unconfinedStart = false;
            floor.add(bare.once(hello));
            floorLight.add(bare.once(bareLight));
            System.out.print(".");
        }
        System.out.println();
        rows.add(new ResultTable.Row("(a) 1 class service: start() -> running", Sample.of(ours),
                "java Hello", Sample.of(floor), 1.5, true));
        rows.add(new ResultTable.Row("    same, vs Hello with the remote's GC/perf flags", Sample.of(ours),
                "java <flags> Hello", Sample.of(floorLight), Double.NaN, true));
        rows.add(new ResultTable.Row("    same (confined, the default), vs unconfined: true", Sample.of(ours),
                "unconfined", Sample.of(open), 1.1, true));

        int sourceRuns = quick ? 3 : 7;
        CodeSpec source = CodeSpec.ofSource(SOURCE);
        System.out.print("(a') source service: warm-up");
        oursSingle(source, null);
        List<Long> sourced = new ArrayList<>();
        List<Long> classed = new ArrayList<>();
        System.out.print(" runs");
        for (int i = 0; i < sourceRuns; i++) {
            sourced.add(oursSingle(source, null));
            classed.add(oursSingle(trivial, null));
            System.out.print(".");
        }
        System.out.println();
        Sample s = Sample.of(sourced);
        Sample c = Sample.of(classed);
        rows.add(new ResultTable.Row("(a') 1 source service (compiled by the manager)", s, "class service", c, Double.NaN, true));
        notes.add(String.format(Locale.ROOT, "(a') a source service costs %.0f ms more than a class service (median)",
                s.medianMs() - c.medianMs()));
    }

    /** For experiments by hand (jcmd on the remote): one trivial service running for {@code seconds}. */
    private void hold(long seconds) throws Exception {
        Path dir = runFolder();
        ClusterSpec spec = ClusterSpec.builder("bench").baseDir(dir).service(ServiceSpec.builder("svc").code(classCode())).build();
        try (ServicesManager manager = managerFor(spec, dir, new Timeline(), null)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            System.out.println("remote pid " + manager.status("svc").pid().orElseThrow() + "; holding " + seconds + " s");
            Thread.sleep(seconds * 1000);
        }
    }

    CodeSpec classCode() {
        return CodeSpec.ofClass(Trivial.class.getName(), payload);
    }

    /** One cluster of one service: nanoseconds from {@code start()} to its {@code running} event. */
    long oursSingle(CodeSpec code, RemoteRuntime custom) throws Exception {
        long[] timeline = oursSingleTimeline(code, custom);
        return timeline[3] - timeline[0];
    }

    /** Whether {@link #oursSingleTimeline} starts its service with {@code unconfined: true}. */
    private boolean unconfinedStart;

    /** The transport of every service of (a) and (b): {@code --tls} for {@code process: {transport: tls}} (R17). */
    private static ProcessOptions transport = ProcessOptions.DEFAULT;

    /** One cluster of one service: the nanoTimes of {@code start()}, created, starting and running. */
    /** {@link #oursSingleTimeline} with the service {@code unconfined: true}. */
    long[] unconfinedTimeline(CodeSpec code, RemoteRuntime custom) throws Exception {
        boolean before = unconfinedStart;
        unconfinedStart = true;
        try {
            return oursSingleTimeline(code, custom);
        } finally {
            unconfinedStart = before;
        }
    }

    long[] oursSingleTimeline(CodeSpec code, RemoteRuntime custom) throws Exception {
        Path dir = runFolder();
        ClusterSpec spec = ClusterSpec.builder("bench").baseDir(dir)
                .service(ServiceSpec.builder("svc").code(code).unconfined(unconfinedStart).options(transport)).build();
        Timeline timeline = new Timeline();
        try (ServicesManager manager = managerFor(spec, dir, timeline, custom)) {
            long t0 = System.nanoTime();
            manager.start();
            long running = timeline.awaitAll(List.of(Timeline.key("svc", "running")), TIMEOUT);
            notePids(manager);
            return new long[] {t0, timeline.at("svc", "created"), timeline.at("svc", "starting"), running};
        }
    }

    ServicesManager managerFor(ClusterSpec spec, Path dir, Timeline timeline, RemoteRuntime runtimeForRun) {
        return builderFor(spec, dir, timeline, runtimeForRun).build();
    }

    ServicesManager.Builder builderFor(ClusterSpec spec, Path dir, Timeline timeline, RemoteRuntime runtimeForRun) {
        ServicesManager.Builder builder = ServicesManager.builder(spec).stateDir(dir.resolve("state")).listener(timeline);
        RemoteRuntime chosen = runtimeForRun != null ? runtimeForRun : custom;
        if (chosen != null) {
            builder.containerFactory(new ProcessContainerFactory(chosen));
        }
        return builder;
    }

    void notePids(ServicesManager manager) {
        for (ServiceStatus status : manager.status()) {
            status.pid().ifPresent(this::noteRemote);
        }
    }

    // ---- (b) 20 in parallel ---------------------------------------------------------------

    private void parallelStart() throws Exception {
        int n = 20;
        int warm = 2;
        int runs = quick ? 3 : 7;
        List<String> hello = bare.command(List.of());
        System.out.print("(b) " + n + " in parallel: warm-up");
        for (int i = 0; i < warm; i++) {
            oursMany(n);
            bare.parallel(hello, n);
            System.out.print(".");
        }
        List<Long> ours = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        System.out.print(" runs");
        for (int i = 0; i < runs; i++) {
            ours.add(oursMany(n));
            floor.add(bare.parallel(hello, n));
            System.out.print(".");
        }
        System.out.println();
        rows.add(new ResultTable.Row("(b) " + n + " class services -> all running", Sample.of(ours),
                n + " x java Hello, parallel", Sample.of(floor), 1.3, true));
    }

    private long oursMany(int n) throws Exception {
        Path dir = runFolder();
        ClusterSpec.Builder cluster = ClusterSpec.builder("bench-many").baseDir(dir);
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String name = String.format(Locale.ROOT, "s%02d", i);
            cluster.service(ServiceSpec.builder(name).code(classCode()).options(transport));
            keys.add(Timeline.key(name, "running"));
        }
        Timeline timeline = new Timeline();
        try (ServicesManager manager = managerFor(cluster.build(), dir, timeline, null)) {
            long t0 = System.nanoTime();
            manager.start();
            long last = timeline.awaitAll(keys, TIMEOUT);
            notePids(manager);
            return last - t0;
        }
    }

    // ---- (c) crash of a chain's root --------------------------------------------------------

    private void crashChain() throws Exception {
        int warm = 2;
        int runs = quick ? 5 : 15;
        System.out.print("(c) crash of a chain's root: warm-up");
        for (int i = 0; i < warm; i++) {
            chainOnce(null);
            bare.kill();
            System.out.print(".");
        }
        List<Long> ours = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        long[] detectToCrashed = new long[runs];
        long[] cClosed = new long[runs];
        System.out.print(" runs");
        for (int i = 0; i < runs; i++) {
            long[] parts = new long[3];
            ours.add(chainOnce(parts));
            detectToCrashed[i] = parts[0];
            cClosed[i] = parts[1];
            floor.add(bare.kill());
            System.out.print(".");
        }
        System.out.println();
        rows.add(new ResultTable.Row("(c) kill -9 b of c->a->b: until a, c closed", Sample.of(ours),
                "kill -9 java -> onExit", Sample.of(floor), 10, false)); // issue 14: <= 10 ms (the first target was 100)
        notes.add(String.format(Locale.ROOT, "(c) median from the kill: b crashed %.1f ms, c closed %.1f ms, a closed %.1f ms",
                new Sample(detectToCrashed).medianMs(), new Sample(cClosed).medianMs(), Sample.of(ours).medianMs()));
    }

    /** {@code parts}: kill to b crashed, kill to c closed. */
    private long chainOnce(long[] parts) throws Exception {
        Path dir = runFolder();
        ClusterSpec spec = ClusterSpec.builder("bench-chain").baseDir(dir)
                .service(ServiceSpec.builder("b").code(classCode()))
                .service(ServiceSpec.builder("a").code(classCode()).dependsOn("b"))
                .service(ServiceSpec.builder("c").code(classCode()).dependsOn("a"))
                .build();
        Timeline timeline = new Timeline();
        try (ServicesManager manager = managerFor(spec, dir, timeline, null)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            notePids(manager);
            long pid = manager.status("b").pid().orElseThrow();
            ProcessHandle b = ProcessHandle.of(pid).orElseThrow();
            long t0 = System.nanoTime();
            b.destroyForcibly();
            long closed = timeline.awaitAll(List.of(Timeline.key("a", "closed"), Timeline.key("c", "closed")), TIMEOUT);
            if (parts != null) {
                parts[0] = timeline.at("b", "crashed") - t0;
                parts[1] = timeline.at("c", "closed") - t0;
            }
            return closed - t0;
        }
    }

    // ---- housekeeping -----------------------------------------------------------------------

    Path runFolder() throws IOException {
        return Files.createDirectories(temp.resolve("run-" + (++runCounter)));
    }

    Path temp() {
        return temp;
    }

    RemoteRuntime runtime() {
        return runtime;
    }

    String java() {
        return java;
    }

    Path payload() {
        return payload;
    }

    void note(String note) {
        notes.add(note);
    }

    void notePid(long pid) {
        noteRemote(pid);
    }

    /** Keeps the handle of the live process {@code pid}, taken now; one already gone needs no check. */
    private void noteRemote(long pid) {
        ProcessHandle.of(pid).ifPresent(remotePids::add);
    }

    private void checkNoRemoteLeft() {
        List<Long> alive = remotePids.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
        System.out.println("remotes started: " + remotePids.size() + "; still alive after the run: "
                + (alive.isEmpty() ? "none" : alive));
    }

    /** Kills and reports any child process still there; 1 if there was one. */
    private static int reapLeftovers() {
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        if (left.isEmpty()) {
            return 0;
        }
        System.err.println("bench: processes left behind, killed: "
                + left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
        left.forEach(ProcessHandle::destroyForcibly);
        return 1;
    }

    /** {@code $XDG_CACHE_HOME/services-cluster/cds}, or {@code ~/.cache/services-cluster/cds}: where the manager keeps it. */
    static Path cdsDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("services-cluster").resolve("cds");
    }

    /** The payload jar beside this program's jar, or the class folder in a development run. */
    private static Path payloadJar() throws URISyntaxException {
        Path self = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(self)) {
            Path jar = self.resolveSibling("services-cluster-bench-payload.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            throw new IllegalStateException("no payload jar at " + jar + "; build with bin/bench");
        }
        return self;
    }

    /** Deletes {@code root} and everything under it, quietly (a temporary folder). */
    public static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
