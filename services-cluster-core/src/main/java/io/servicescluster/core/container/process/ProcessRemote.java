package io.servicescluster.core.container.process;

import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.protocol.ControlChannel;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A remote in a child JVM. Its end is known at once through {@link Process#onExit()} (waitpid). */
final class ProcessRemote implements RemoteProcess {

    private final Process process;
    private final ControlChannel channel;
    private final CompletableFuture<Exit> exit;

    private final String dataEndpoint;
    private final long pid;

    /**
     * @param pid the pid to show users: the JVM's, which in a sandbox is a descendant of {@code process}
     * @param cgroup the cgroup of this launch, asked whether the kernel killed it for its memory; or null
     */
    ProcessRemote(Process process, ControlChannel channel, String dataEndpoint, OutputTail tail, long pid,
            ServiceCgroup cgroup) {
        this.process = process;
        this.channel = channel;
        this.dataEndpoint = dataEndpoint;
        this.pid = pid;
        // The pipes may still hold the JVM's last words: wait for them briefly so that an
        // out-of-memory message is seen before the exit is reported.
        this.exit = process.onExit()
                .thenCompose(p -> tail.drained().completeOnTimeout(null, 200, TimeUnit.MILLISECONDS))
                .thenApply(ignored -> {
                    int code = process.exitValue();
                    boolean killedForMemory = cgroup != null && cgroup.oomKilled(code);
                    return new Exit(code, describeExit(code), tail.outOfMemory() || killedForMemory);
                });
    }

    /** {@code exited with code 1}, or {@code was killed by signal 9 (SIGKILL)} for 128 + n. */
    static String describeExit(int code) {
        if (code > 128 && code < 160) {
            int signal = code - 128;
            return "was killed by signal " + signal + signalName(signal);
        }
        return "exited with code " + code;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> " (SIGKILL)";
            case 15 -> " (SIGTERM)";
            case 6 -> " (SIGABRT)";
            case 11 -> " (SIGSEGV)";
            case 2 -> " (SIGINT)";
            default -> "";
        };
    }

    @Override
    public ControlChannel channel() {
        return channel;
    }

    @Override
    public String dataEndpoint() {
        return dataEndpoint;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(pid);
    }

    @Override
    public CompletableFuture<Exit> onExit() {
        return exit;
    }

    @Override
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
