package io.servicescluster.bench;

import io.servicescluster.core.container.support.RemoteRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The floors: bare JVMs running the payload's {@code Hello}, started, read and killed the way the rows need. */
final class BareJvms {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String java;
    private final Path payload;
    private final RemoteRuntime runtime;

    BareJvms(String java, Path payload, RemoteRuntime runtime) {
        this.java = java;
        this.payload = payload;
        this.runtime = runtime;
    }

    /** Nanoseconds from SIGKILL of a bare JVM that said hello to its {@code Process.onExit}. */
    long kill() throws Exception {
        Process process = new ProcessBuilder(command(List.of(), "wait")).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            if (!"hello".equals(out.readLine())) {
                throw new IllegalStateException("Hello did not say hello");
            }
            ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
            long t0 = System.nanoTime();
            handle.destroyForcibly();
            process.onExit().get(10, TimeUnit.SECONDS);
            return System.nanoTime() - t0;
        } finally {
            process.destroyForcibly();
        }
    }

    /** The remote runtime's light flags without its class-data file: a fair bare JVM. */
    List<String> lightFlags() {
        return runtime.withoutClassData().jvmOptions();
    }

    List<String> command(List<String> flags, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.add("-cp");
        command.add(payload.toString());
        command.add("Hello");
        command.addAll(List.of(args));
        return command;
    }

    /** Nanoseconds from {@code ProcessBuilder.start()} until Hello's line is read. */
    long once(List<String> command) throws Exception {
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = helloLine(out);
            long elapsed = System.nanoTime() - t0;
            if (!"hello".equals(line)) {
                throw new IllegalStateException("Hello said " + line + " (exit " + process.waitFor() + ")");
            }
            process.waitFor(10, TimeUnit.SECONDS);
            return elapsed;
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Hello's line, past any the JVM itself wrote first (such as a warning that another JVM of a
     * reused pid still locks its perf-data file); the first line if there is no hello, null at
     * the end.
     */
    private static String helloLine(BufferedReader out) throws IOException {
        String first = null;
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("hello")) {
                return line;
            }
            first = first == null ? line : first;
        }
        return first;
    }

    /** {@code n} bare JVMs started at once: nanoseconds until every one printed its line. */
    long parallel(List<String> command, int n) throws Exception {
        CountDownLatch said = new CountDownLatch(n);
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        List<Process> processes = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                processes.add(process);
                // platform threads: a read blocked on a pipe would hold a virtual thread's carrier
                Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line = helloLine(out);
                        if ("hello".equals(line)) {
                            said.countDown();
                        } else {
                            wrong.add("pid " + process.pid() + " said " + line);
                        }
                    } catch (IOException e) {
                        wrong.add("pid " + process.pid() + ": " + e);
                    }
                });
            }
            if (!said.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(said.getCount() + " of " + n + " bare JVMs did not say hello: " + wrong);
            }
            return System.nanoTime() - t0;
        } finally {
            for (Process process : processes) {
                process.waitFor(10, TimeUnit.SECONDS);
                process.destroyForcibly();
            }
        }
    }
}
