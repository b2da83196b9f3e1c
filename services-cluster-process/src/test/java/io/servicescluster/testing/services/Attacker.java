package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A service without {@code permissions} that attacks its siblings, the manager and the host
 * (issue 18, item 1 and 5). It reports each attempt on stdout as {@code ATTEMPT: RESULT} and keeps
 * running; the test decides whether the result is a failure. The setting {@code attack}:
 * <ul>
 *   <li>{@code peek}: {@code pids} (comma-separated host pids), and the pid in the file
 *       {@code pidFile} once it appears (a second line: {@code controlSocket}) — read {@code /proc/PID/environ} and {@code /proc/PID/mem}
 *       of each, {@code jcmd PID VM.system_properties}; {@code controlSocket} — connect and
 *       send {@code stop}; {@code files} ({@code :}-separated) — read each; also prints the
 *       processes it sees, its ids, capabilities and {@code NoNewPrivs};
 *   <li>{@code fork}: starts up to 1,500 (or {@code forks}) {@code sleep MARKER} processes, prints how many it got;
 *   <li>{@code disk}: writes 1 MiB blocks into its work directory until a write fails;
 *   <li>{@code children}: {@code marker} — starts {@code sleep MARKER} and, double-forked through
 *       {@code sh -c '… &'}, {@code sleep MARKER+1}, which outlive this JVM unless something ends them.
 * </ul>
 * <ul>
 *   <li>{@code shell}: runs {@code sh -c SCRIPT} (the setting {@code script}), prints its exit code
 *       and its whole output on one line ({@code |} for each line feed).
 * </ul>
 * {@code crashAfterMillis}: halts its JVM that long after its start.
 */
public final class Attacker implements Service {

    private final List<Process> kept = new ArrayList<>();

    @Override
    public void start(ServiceContext context) throws Exception {
        Map<String, String> settings = context.settings();
        switch (settings.getOrDefault("attack", "")) {
            case "peek" -> { // on a thread of its own: what it waits for comes once it runs
                Thread.ofPlatform().daemon().start(() -> {
                    peek(settings);
                    System.out.println("attacks: done");
                });
                return;
            }
            case "fork" -> fork(settings.get("marker"), Integer.parseInt(settings.getOrDefault("forks", "1500")));
            case "disk" -> disk(context.workDir());
            case "children" -> children(Long.parseLong(settings.get("marker")));
            case "shell" -> { // on a thread of its own, as peek: the script may wait for what the test makes
                Thread.ofPlatform().daemon().start(() -> {
                    report("shell", attempt(() -> run("sh", "-c", settings.get("script")).replace('\n', '|')));
                    System.out.println("attacks: done");
                });
                return;
            }
            default -> throw new IllegalArgumentException("unknown attack " + settings.get("attack"));
        }
        System.out.println("attacks: done");
        if (settings.containsKey("crashAfterMillis")) {
            long delay = Long.parseLong(settings.get("crashAfterMillis"));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(1);
            });
        }
    }

    private static void peek(Map<String, String> settings) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            report("processes", entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+")).toList()
                    .toString());
        } catch (IOException e) {
            report("processes", "failed " + e);
        }
        report("status", attempt(() -> String.join(" ", Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid") || l.startsWith("CapEff") || l.startsWith("NoNewPrivs"))
                .map(l -> l.replace('\t', ' ')).toList())));
        List<String> victims = new ArrayList<>(List.of(settings.getOrDefault("pids", "").split(",")));
        String control = settings.get("controlSocket");
        if (settings.containsKey("pidFile")) { // PID, then the control socket's path, once the test knows them
            List<String> lines = awaitFile(Path.of(settings.get("pidFile"))).lines().toList();
            victims.add(lines.getFirst());
            control = lines.size() > 1 ? lines.get(1) : control;
        }
        for (String victim : victims) {
            if (victim.isEmpty()) {
                continue;
            }
            report("environ " + victim, attempt(() -> "READ "
                    + Files.readAllBytes(Path.of("/proc", victim, "environ")).length));
            report("mem " + victim, attempt(() -> {
                try (RandomAccessFile mem = new RandomAccessFile("/proc/" + victim + "/mem", "r")) {
                    mem.seek(0x400000);
                    return "READ " + mem.read(new byte[16]);
                }
            }));
            report("jcmd " + victim, attempt(() -> run(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                    .toString(), victim, "VM.system_properties")));
        }
        if (control != null) {
            String socket = control;
            report("control", attempt(() -> {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    channel.write(ByteBuffer.wrap("stop\n".getBytes(StandardCharsets.UTF_8)));
                    return "CONNECTED";
                }
            }));
        }
        for (String file : settings.getOrDefault("files", "").split(":")) {
            if (!file.isEmpty()) {
                report("read " + file, attempt(() -> "READ " + Files.readAllBytes(Path.of(file)).length));
            }
        }
    }

    /** The trimmed content of {@code file}, once it exists (the test writes it after this started). */
    private static String awaitFile(Path file) {
        for (int i = 0; i < 600; i++) {
            try {
                String content = Files.readString(file).trim();
                if (!content.isEmpty()) {
                    return content;
                }
            } catch (IOException e) {
                // not yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
        return "";
    }

    private void fork(String marker, int most) {
        int started = 0;
        String failure = "none";
        for (; started < most; started++) {
            try {
                kept.add(new ProcessBuilder("sleep", marker).start());
            } catch (IOException e) { // the fork refused
                failure = e.getMessage();
                break;
            } catch (OutOfMemoryError e) {
                // the fork took the last pid, and the JDK's reaper thread for the child found none:
                // which of the two hits the limit depends on how many threads this JVM has
                failure = e.getMessage();
                break;
            }
        }
        report("fork", started + " started; failure: " + failure);
    }

    private static void disk(Path workDir) {
        byte[] block = new byte[1 << 20];
        long written = 0;
        String failure = "none";
        try (OutputStream out = Files.newOutputStream(workDir.resolve("fill"))) {
            for (; written < 2048; written++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            failure = e.getMessage();
        }
        report("disk", written + " MiB written; failure: " + failure);
    }

    private void children(long marker) throws IOException {
        kept.add(new ProcessBuilder("sleep", Long.toString(marker)).start());
        kept.add(new ProcessBuilder("sh", "-c", "sleep " + (marker + 1) + " >/dev/null 2>&1 &").start());
        report("children", "started");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        String first = output.lines().findFirst().orElse("");
        return "exit " + process.exitValue() + " (" + output.lines().count() + " lines) "
                + (command[0].equals("sh") ? output : first);
    }

    @FunctionalInterface
    private interface Attempt {
        String call() throws Exception;
    }

    private static String attempt(Attempt attempt) {
        try {
            return attempt.call();
        } catch (Exception e) {
            return "FAILED " + e;
        }
    }

    private static void report(String what, String result) {
        System.out.println(what + ": " + result);
    }
}
