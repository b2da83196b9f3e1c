package io.servicescluster.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller trusts nothing its remote says: a fake remote on the other end of a socket says
 * what no honest remote would, and the listener sees only what is bounded, believable and in order.
 */
class ServiceControllerGuardTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path folder;

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Recorder heard = new Recorder();
    private ControlChannel remote;
    private ServiceController controller;

    @BeforeEach
    void connect() throws IOException {
        Path socket = folder.resolve("control.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            SocketChannel managerSide = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            SocketChannel remoteSide = server.accept();
            int max = ConnectionPorts.DEFAULT_MAX_FRAME_SIZE;
            remote = new ControlChannel(ConnectionPorts.wrap(remoteSide, max, "remote"));
            ControlChannel manager = new ControlChannel(ConnectionPorts.wrap(managerSide, max, "manager"));
            controller = new ServiceController("attacker", new FakeRemote(manager), heard);
        }
        controller.begin(new Code("attacker", Map.of(), "/tmp", CodeKind.CLASS, "A", "", List.of(), List.of(), "k"),
                List.of(), timers, Duration.ofMinutes(1), Duration.ofMinutes(1));
    }

    @AfterEach
    void close() {
        controller.stop();
        remote.close();
        timers.shutdownNow();
    }

    @Test
    void outputLinesAndReasonsAreCut() throws IOException {
        remote.send(new Output(OutputStream.STDOUT, "x".repeat(1 << 20)));
        remote.send(new StartFailed("y".repeat(1 << 20)));
        await().atMost(WAIT).until(() -> heard.calls.size() == 2);
        assertThat(heard.calls.get(0).length()).isLessThan(UntrustedText.MAX_BYTES + 100);
        assertThat(heard.calls.get(0)).endsWith(" … [cut: " + ((1 << 20) - UntrustedText.MAX_BYTES) + " bytes]");
        assertThat(heard.calls.get(1).length()).isLessThan(UntrustedText.MAX_BYTES + 100);
        assertThat(heard.calls.get(1)).startsWith("startFailed yyy");
    }

    @Test
    void exceptionReportsAreBoundedRateLimitedAndTheDropsCounted() throws IOException {
        String big = "m".repeat(200_000); // over the bound, and 40 of them go out well within a second
        for (int i = 0; i < 40; i++) {
            remote.send(new UncaughtException("t".repeat(10_000), "C".repeat(10_000), big, big));
        }
        remote.close(); // the end says how many were dropped
        await().atMost(WAIT).until(() -> heard.calls.stream().anyMatch(c -> c.startsWith("lost")));
        assertThat(heard.exceptions.size()).isEqualTo(ExceptionBudget.PER_SECOND);
        List<Integer> sizes = heard.exceptions.stream()
                .map(e -> e.thread().length() + e.className().length() + e.message().length() + e.stackTrace().length())
                .toList();
        assertThat(sizes).allMatch(size -> size <= UntrustedText.MAX_BYTES);
        assertThat(heard.exceptions.getFirst().message()).endsWith(" … [cut: " + (200_000 - 16 * 1024) + " bytes]");
        assertThat(heard.calls).contains("output STDERR services-cluster: 30 uncaught exception reports were dropped"
                + " (more than " + ExceptionBudget.PER_SECOND + " a second)");
    }

    @Test
    void statsThatCannotBeTrueAreDroppedAndTheConnectionStays() throws IOException {
        long gib = 1L << 30;
        remote.send(new Stats(1, Double.NaN, 1, 2, 3));
        remote.send(new Stats(1, -5, 1, 2, 3));
        remote.send(new Stats(1, Double.POSITIVE_INFINITY, 1, 2, 3));
        remote.send(new Stats(Long.MAX_VALUE, 1, 1, 2, 3));
        remote.send(new Stats(-1, 1, 1, 2, 3));
        remote.send(new Stats(1, 1, -1, 2, 3));
        remote.send(new Stats(1, 1, 3 * gib, 2 * gib, 3));
        remote.send(new Stats(1, 1, 1, Long.MAX_VALUE, 3));
        remote.send(new Stats(1, 1, 1, 2, Long.MAX_VALUE));
        remote.send(new Stats(1, 1e9, 1, 2, 3));
        remote.send(new Stats(5_000_000, 12.5, gib, 2 * gib, gib));
        remote.send(new Stats(4_000_000, 12.5, gib, 2 * gib, gib)); // CPU time going back
        remote.send(new Output(OutputStream.STDOUT, "still here"));
        await().atMost(WAIT).until(() -> heard.calls.contains("output STDOUT still here"));
        assertThat(heard.stats).containsExactly(new Stats(5_000_000, 12.5, gib, 2 * gib, gib));
        assertThat(heard.calls).noneMatch(c -> c.startsWith("lost"));
    }

    @Test
    void aSecondStartAnswerIsAProtocolViolationActedOnOnce() throws IOException {
        remote.send(new Started(false));
        remote.send(new Started(false));
        await().atMost(WAIT).until(() -> heard.calls.stream().anyMatch(c -> c.startsWith("lost")));
        assertThat(heard.calls).containsExactly("started",
                "lost true protocol violation: Started after the start was already answered");
    }

    @Test
    void startedAfterStartFailedIsAProtocolViolation() throws IOException {
        remote.send(new StartFailed("broken"));
        remote.send(new Started(false));
        await().atMost(WAIT).until(() -> heard.calls.stream().anyMatch(c -> c.startsWith("lost")));
        assertThat(heard.calls).containsExactly("startFailed broken",
                "lost true protocol violation: Started after the start was already answered");
    }

    @Test
    void closedBeforeACloseWasAskedIsAProtocolViolation() throws IOException {
        remote.send(new Started(false));
        remote.send(new Closed(""));
        await().atMost(WAIT).until(() -> heard.calls.stream().anyMatch(c -> c.startsWith("lost")));
        assertThat(heard.calls).containsExactly("started", "lost true protocol violation: Closed before a close was asked");
    }

    @Test
    void closedAfterACloseWasAskedIsTheOrderlyEnd() throws IOException {
        remote.send(new Started(false));
        await().atMost(WAIT).until(() -> heard.calls.contains("started"));
        controller.requestClose();
        remote.send(new Closed(""));
        await().atMost(WAIT).until(() -> heard.calls.contains("closed "));
        assertThat(heard.calls).containsExactly("started", "closed ");
    }

    /** What the controller told the manager, in order. */
    static final class Recorder implements ServiceController.Listener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<UncaughtException> exceptions = new CopyOnWriteArrayList<>();
        final List<Stats> stats = new CopyOnWriteArrayList<>();

        @Override
        public void started(boolean ownHealthCheck) {
            calls.add("started");
        }

        @Override
        public void startFailed(String reason) {
            calls.add("startFailed " + reason);
        }

        @Override
        public void closed(String error) {
            calls.add("closed " + error);
        }

        @Override
        public void output(OutputStream stream, String line) {
            calls.add("output " + stream + " " + line);
        }

        @Override
        public void uncaughtException(UncaughtException exception) {
            exceptions.add(exception);
        }

        @Override
        public void stats(Stats sample) {
            stats.add(sample);
        }

        @Override
        public void spawn(Spawn request) {
            calls.add("spawn " + request.childName());
        }

        @Override
        public void connectionLost(String reason, boolean explainsEnd) {
            calls.add("lost " + explainsEnd + " " + reason);
        }
    }

    record FakeRemote(ControlChannel channel) implements RemoteProcess {
        @Override
        public String dataEndpoint() {
            return "";
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public CompletableFuture<Exit> onExit() {
            return new CompletableFuture<>();
        }

        @Override
        public void kill() {
            channel.close();
        }
    }
}
