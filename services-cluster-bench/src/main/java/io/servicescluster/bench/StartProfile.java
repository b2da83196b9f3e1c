package io.servicescluster.bench;

import io.servicescluster.core.container.support.RemoteRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the cold start of scenario (a) goes. The remote and a bare Hello run with
 * {@code -Xlog:class+load} decorated with {@code timenanos}: the same clock as this JVM's
 * {@code System.nanoTime()}, so the child's class loads and the manager's events fall on one
 * time line. The first use of a class marks a step: {@code RemoteMain} (main begins),
 * {@code ControlMessage$Hello} (saying hello), the service class (code received, loading it).
 * Also checks with
 * {@code -XX:AOTMode=on} (AOT cache) or {@code -Xshare:on} (CDS archive) that the remote's
 * class-data file is really usable.
 */
final class StartProfile {

    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ns\\]\\[(\\d+)ns\\] (\\S+) source: (.*)$");

    private final Bench bench;

    StartProfile(Bench bench) {
        this.bench = bench;
    }

    /** One parsed log: the JVM's own start on the shared clock, and each class with when and whence. */
    private record ClassLog(long jvmStart, List<Long> times, List<String> names, List<String> sources) {

        long firstLoad(String className) {
            int i = names.indexOf(className);
            return i < 0 ? -1 : times.get(i);
        }

        /** Counts by where classes came from, for classes loaded before {@code until} (or all, -1). */
        Map<String, Integer> bySource(long from, long until) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String kind : List.of("dynamic archive", "JDK CDS or AOT cache", "jrt (JDK, not archived)", "jar/file", "generated")) {
                counts.put(kind, 0);
            }
            for (int i = 0; i < names.size(); i++) {
                long t = times.get(i);
                if (t < from || (until >= 0 && t > until)) {
                    continue;
                }
                counts.merge(kind(sources.get(i)), 1, Integer::sum);
            }
            return counts;
        }

        static String kind(String source) {
            if (source.startsWith("shared objects file (top)")) {
                return "dynamic archive";
            }
            if (source.startsWith("shared objects file")) {
                return "JDK CDS or AOT cache";
            }
            if (source.startsWith("jrt:")) {
                return "jrt (JDK, not archived)";
            }
            if (source.startsWith("file:") || source.startsWith("jar:")) {
                return "jar/file";
            }
            return "generated";
        }
    }

    void run() throws Exception {
        int runs = 5;
        System.out.print("profile of (a): runs");
        List<long[]> ours = new ArrayList<>();
        List<long[]> bare = new ArrayList<>();
        ClassLog lastOurs = null;
        ClassLog lastBare = null;
        Path dir = null;
        for (int i = 0; i < runs; i++) {
            dir = bench.runFolder();
            Path log = dir.resolve("remote.log");
            List<String> options = new ArrayList<>(bench.runtime().jvmOptions());
            options.add(xlog(log));
            RemoteRuntime logged = new RemoteRuntime(bench.runtime().javaExecutable(), bench.runtime().classpath(), options);
            // unconfined: the JVM writes its class-load log beside the bench's folders, which a sandbox
            // hides; what the sandbox adds is (a)'s own row
            long[] events = bench.unconfinedTimeline(bench.classCode(), logged); // t0, created, starting, running
            lastOurs = parse(log);
            long t0 = events[0];
            ours.add(new long[] {
                events[1] - t0, events[2] - t0, lastOurs.jvmStart - t0,
                lastOurs.firstLoad("io.servicescluster.remote.RemoteMain") - t0,
                lastOurs.firstLoad("io.servicescluster.protocol.ControlMessage$Hello") - t0,
                lastOurs.firstLoad("io.servicescluster.bench.services.Trivial") - t0,
                events[3] - t0,
            });

            Path bareLog = dir.resolve("bare.log");
            List<String> flags = new ArrayList<>(bench.bare().lightFlags());
            flags.add(xlog(bareLog));
            long[] b = bareTimeline(bench.bare().command(flags));
            lastBare = parse(bareLog);
            bare.add(new long[] {lastBare.jvmStart - b[0], lastBare.firstLoad("Hello") - b[0], b[1] - b[0]});
            System.out.print(".");
        }
        System.out.println();
        String keep = System.getenv("BENCH_KEEP_LOGS");
        if (keep != null && !keep.isBlank()) {
            Files.createDirectories(Path.of(keep));
            // the last run's logs, for reading by hand
            Files.copy(dir.resolve("remote.log"), Path.of(keep, "remote-class-load.log"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("bare.log"), Path.of(keep, "bare-class-load.log"), StandardCopyOption.REPLACE_EXISTING);
        }

        String[] steps = {
            "container created", "launch begins (event starting)", "JVM begins (log: time - uptime)",
            "main class loaded", "ControlMessage$Hello loaded (saying hello)", "service class loaded (code arrived)",
            "event running / Hello's line read",
        };
        System.out.println();
        System.out.println("profile of (a): medians of " + runs + " runs, ms from start() (ours) or ProcessBuilder.start() (bare);");
        System.out.println("both JVMs with -Xlog:class+load to a file, the remote's flags, no CDS archive for bare");
        System.out.printf(Locale.ROOT, "  %-50s %8s %8s%n", "step", "ours", "bare");
        int[] bareIndex = {-1, -1, 0, 1, -1, -1, 2};
        for (int s = 0; s < steps.length; s++) {
            double o = median(ours, s);
            String bareValue = bareIndex[s] < 0 ? "" : String.format(Locale.ROOT, "%8.1f", median(bare, bareIndex[s]));
            System.out.printf(Locale.ROOT, "  %-50s %8.1f %8s%n", steps[s], o, bareValue);
        }
        if (lastOurs != null) {
            ClassLog log = lastOurs;
            long main = log.firstLoad("io.servicescluster.remote.RemoteMain");
            long hello = log.firstLoad("io.servicescluster.protocol.ControlMessage$Hello");
            long service = log.firstLoad("io.servicescluster.bench.services.Trivial");
            System.out.println("classes loaded by the remote (last run), by phase and source:");
            System.out.println("  JVM boot -> main:          " + log.bySource(0, main));
            System.out.println("  main -> Hello:             " + log.bySource(main + 1, hello));
            System.out.println("  Hello -> service class:    " + log.bySource(hello + 1, service));
            System.out.println("  service class -> exit:     " + log.bySource(service + 1, -1));
            System.out.println("  whole life:                " + log.bySource(0, -1) + " = " + log.names.size());
            System.out.println("classes loaded by bare Hello: " + lastBare.bySource(0, -1) + " = " + lastBare.names.size());
            Map<String, Integer> life = log.bySource(0, -1);
            int archived = life.get("dynamic archive") + life.get("JDK CDS or AOT cache");
            bench.note("profile: the remote loaded " + log.names.size() + " classes, " + archived
                    + " of them from class-data files; bare Hello " + lastBare.names.size());
        }
        checkArchive();
    }

    private static String xlog(Path file) {
        return "-Xlog:class+load=info:file=" + file + ":timenanos,uptimenanos";
    }

    private static double median(List<long[]> rows, int column) {
        List<Long> values = new ArrayList<>();
        for (long[] row : rows) {
            values.add(row[column]);
        }
        return Sample.of(values).medianMs();
    }

    /** Bare Hello: {ProcessBuilder.start() time, line read time} on the shared clock. */
    private static long[] bareTimeline(List<String> command) throws Exception {
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            out.readLine();
            long read = System.nanoTime();
            process.waitFor(10, TimeUnit.SECONDS);
            return new long[] {t0, read};
        } finally {
            process.destroyForcibly();
        }
    }

    private static ClassLog parse(Path log) throws IOException {
        List<Long> times = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        long jvmStart = -1;
        for (String line : Files.readAllLines(log)) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long time = Long.parseLong(m.group(1));
            if (jvmStart < 0) {
                jvmStart = time - Long.parseLong(m.group(2));
            }
            times.add(time);
            names.add(m.group(3));
            sources.add(m.group(4));
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no class+load lines in " + log);
        }
        return new ClassLog(jvmStart, times, names, sources);
    }

    /**
     * Runs the remote's command with {@code -Xshare:on} (which refuses to start without a usable
     * archive) and without {@code SVC_CONTROL} (so RemoteMain exits at once with status 2).
     */
    private void checkArchive() throws Exception {
        RemoteRuntime runtime = bench.runtime();
        if (bench.cdsArchive().isEmpty()) {
            bench.note("class data: the remote runs without an application archive (class path not all jars)");
            return;
        }
        boolean aot = runtime.jvmOptions().stream().anyMatch(o -> o.startsWith("-XX:AOTCache="));
        String strict = aot ? "-XX:AOTMode=on" : "-Xshare:on";
        List<String> command = new ArrayList<>();
        for (String part : runtime.command("archive-check")) {
            if (part.equals("-XX:+ExitOnOutOfMemoryError")) {
                command.add(strict); // before the main class: both refuse to start without a usable file
            }
            if (!part.equals("-XX:+AutoCreateSharedArchive")) {
                command.add(part);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SVC_CONTROL");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int status = process.waitFor();
        boolean used = status == 2 && output.contains("SVC_CONTROL is not set");
        String verdict = used ? "usable (" + strict + " starts the remote)"
                : "NOT usable: " + strict + " gave status " + status + ": " + output.lines().findFirst().orElse("");
        System.out.println((aot ? "AOT cache " : "CDS archive ") + bench.cdsArchive().get().getFileName() + ": " + verdict);
        bench.note((aot ? "AOT cache: " : "CDS archive: ") + verdict);
    }
}
