package io.servicescluster.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ManagerMain} in a JVM of its own, for tests that must kill, stop or starve the
 * manager itself. The caller destroys {@link #process()}.
 *
 * @param process the manager's JVM
 * @param runDir the manager's run folder, as it reported it
 * @param pids each service's remote pid, as it reported them
 */
public record ManagerProcess(Process process, Path runDir, Map<String, Long> pids) {

    /**
     * Starts {@code ManagerMain STATE ARGS…} and reads its run folder and service pids up to
     * "ready" (its stderr goes to {@code STATE/manager.err}, quoted if it never gets there).
     */
    public static ManagerProcess launch(Path state, String... args) throws Exception {
        return launch(new ProcessBuilder(Processes.java(ManagerMain.class.getName(), arguments(state, args))), state);
    }

    /** {@code STATE ARGS…}: the arguments of {@link ManagerMain} after its class name. */
    public static String[] arguments(Path state, String... args) {
        String[] arguments = new String[args.length + 1];
        arguments[0] = state.toString();
        System.arraycopy(args, 0, arguments, 1, args.length);
        return arguments;
    }

    /**
     * As {@link #launch(Path, String...)}, with the command and environment of {@code builder}
     * (as another user, on another class path: {@link ManagerMain} with {@link #arguments}).
     */
    public static ManagerProcess launch(ProcessBuilder builder, Path state) throws Exception {
        Process process = builder.redirectError(state.resolve("manager.err").toFile()).start();
        Map<String, Long> pids = new LinkedHashMap<>();
        Path[] runDir = new Path[1];
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> readUntilReady(process, runDir, pids));
        try {
            ready.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the manager did not report ready; its stderr:\n"
                    + Files.readString(state.resolve("manager.err")), e);
        }
        return new ManagerProcess(process, runDir[0], Map.copyOf(pids));
    }

    private static void readUntilReady(Process process, Path[] runDir, Map<String, Long> pids) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                List<String> words = List.of(line.split(" "));
                if (words.getFirst().equals("run-dir")) {
                    runDir[0] = Path.of(words.get(1));
                } else if (words.getFirst().equals("pid")) {
                    pids.put(words.get(1), Long.parseLong(words.get(2)));
                } else if (line.equals("ready")) {
                    return;
                }
            }
            throw new IllegalStateException("the manager ended before it was ready");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
