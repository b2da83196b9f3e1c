package io.servicescluster.core.manager;

import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.core.container.RemoteProcess;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** A simulated remote: it ends when told to (its service's fate) or when killed, a little later, in virtual time. */
final class SimRemote implements RemoteProcess {

    private final VirtualTime time;
    private final Random random;
    private final String service;
    private final long pid;
    private final CompletableFuture<Exit> exit = new CompletableFuture<>();
    private boolean killed;
    /** Whether its service answered a close: it exits by itself then, and a container may go before it has. */
    boolean saidClosed;

    SimRemote(VirtualTime time, Random random, String service, long pid) {
        this.time = time;
        this.random = random;
        this.service = service;
        this.pid = pid;
    }

    @Override
    public ControlChannel channel() {
        throw new UnsupportedOperationException("a simulated remote has no control channel");
    }

    @Override
    public String dataEndpoint() {
        return "sim:" + service;
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
        if (!killed && alive()) {
            killed = true;
            exitLater(137);
        }
    }

    /** The process ends by itself with {@code code}, soon. */
    void exitLater(int code) {
        time.after(Duration.ofMillis(1 + random.nextInt(20)),
                () -> exit.complete(new Exit(code, Exit.describeStatus(code), false)));
    }

    boolean alive() {
        return !exit.isDone();
    }

    boolean killed() {
        return killed;
    }
}
