package io.servicescluster.core.container.process;

import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.support.OutputTail;
import io.servicescluster.protocol.ControlChannel;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A remote in a child JVM. Its end is known at once through {@link Process#onExit()} (waitpid). */
final class ProcessRemote implements RemoteProcess {

    private final Process process;
    private final ServiceCgroup cgroup;
    private final ControlChannel channel;
    private final CompletableFuture<Exit> exit;

    private final String dataEndpoint;
    private final CompletableFuture<Long> pid;

    /**
     * @param pid the pid to show users: the JVM's, which in a sandbox is a descendant of {@code process}
     *     (then found while the start goes on)
     * @param cgroup the cgroup of this launch, asked whether the kernel killed it for its memory; or null
     */
    ProcessRemote(Process process, ControlChannel channel, String dataEndpoint, OutputTail tail, CompletableFuture<Long> pid,
            ServiceCgroup cgroup) {
        this.process = process;
        this.cgroup = cgroup;
        this.channel = channel;
        this.dataEndpoint = dataEndpoint;
        this.pid = pid;
        // The pipes may still hold the JVM's last words: wait for them briefly so that an
        // out-of-memory message is seen before the exit is reported. A JVM killed by a signal
        // said none (-XX:+ExitOnOutOfMemoryError exits with a status): its end is reported at
        // once, the first step of R9's cascade.
        this.exit = process.onExit()
                .thenCompose(p -> Exit.bySignal(p.exitValue())
                        ? CompletableFuture.<Void>completedFuture(null)
                        : tail.ended().completeOnTimeout(null, 200, TimeUnit.MILLISECONDS))
                .thenApply(ignored -> {
                    int code = process.exitValue();
                    boolean killedForMemory = cgroup != null && cgroup.oomKilled(code);
                    return new Exit(code, Exit.describeStatus(code), tail.outOfMemory() || killedForMemory);
                });
    }

    /** The launched process (bubblewrap's, in a sandbox). */
    Process process() {
        return process;
    }

    /** The cgroup of its launch, or null. */
    ServiceCgroup cgroup() {
        return cgroup;
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
        return OptionalLong.of(pid.join());
    }

    @Override
    public CompletableFuture<Exit> onExit() {
        return exit;
    }

    @Override
    public void kill() {
        if (!process.isAlive()) {
            // reaped: its descendants, if any, were handed to another parent when it died and are
            // not found under it any more; the walk of /proc is not done for nothing (on the loop,
            // in the middle of a crash: ~1 ms)
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
