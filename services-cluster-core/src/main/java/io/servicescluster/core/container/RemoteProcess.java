package io.servicescluster.core.container;

import io.servicescluster.protocol.ControlChannel;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One launched remote runtime, connected and past its hello: what a {@code ServiceController}
 * drives. Thread-safe.
 */
public interface RemoteProcess {

    /** The control channel to the remote; the hello has been read from it already. */
    ControlChannel channel();

    /**
     * Where the remote serves its dependents ({@code unix:/path} or {@code tcp:host:port}), as its
     * hello said, or empty if it serves none.
     */
    String dataEndpoint();

    /** The operating-system process id, where the container has one visible to the manager. */
    OptionalLong pid();

    /**
     * Completes when the remote has ended, with how it ended. Crash detection rests on this, so
     * implementations use the operating system's or engine's own notice, not polling.
     */
    CompletableFuture<Exit> onExit();

    /** Kills the remote at once (SIGKILL or the engine's equivalent). Idempotent. */
    void kill();

    /**
     * How long the manager lets a remote whose control connection ended (a bare end of stream)
     * take to report its own exit before it kills it: its own status, not the kill, then says how
     * it ended. By default 2 s: a local process's end is known at once. A kind whose engine reports
     * an end late (a node agent that notices on its next pass) says longer.
     */
    default java.time.Duration exitReportGrace() {
        return java.time.Duration.ofSeconds(2);
    }

    /**
     * How a remote ended.
     *
     * @param exitCode the exit status, or -1 if unknown
     * @param description in words, e.g. {@code exited with code 1} or {@code killed by signal 9 (SIGKILL)}
     * @param outOfMemory whether the environment ended it for exceeding its memory limit
     */
    record Exit(int exitCode, String description, boolean outOfMemory) {

        /** Whether {@code code} is the status of a process killed by a signal (128 + its number), as a shell reports it. */
        public static boolean bySignal(int code) {
            return code > 128 && code < 160;
        }

        /**
         * An exit status in words: {@code exited with code 1}, or {@code was killed by signal 9
         * (SIGKILL)} for the 128 + n that shells and the JDK report for a death by signal n.
         */
        public static String describeStatus(int code) {
            if (bySignal(code)) {
                int signal = code - 128;
                return "was killed by signal " + signal + switch (signal) {
                    case 9 -> " (SIGKILL)";
                    case 15 -> " (SIGTERM)";
                    case 6 -> " (SIGABRT)";
                    case 11 -> " (SIGSEGV)";
                    case 2 -> " (SIGINT)";
                    default -> "";
                };
            }
            return code < 0 ? "ended (exit status unknown)" : "exited with code " + code;
        }
    }
}
