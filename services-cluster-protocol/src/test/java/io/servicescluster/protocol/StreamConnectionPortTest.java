package io.servicescluster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Framing over real operating-system pipes (a {@link Pipe} each way, and a child process's
 * stdin/stdout): the frame limit on both sides, clean and unclean ends, closing.
 */
class StreamConnectionPortTest {

    private static final int LIMIT = 1024;

    private Pipe toB;
    private Pipe toA;
    private ConnectionPort a;
    private ConnectionPort b;
    private Process child;

    @AfterEach
    void closeAll() throws Exception {
        for (ConnectionPort port : new ConnectionPort[] {a, b}) {
            if (port != null) {
                port.close();
            }
        }
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A connected pair: {@code a} sends with {@code aLimit}, {@code b} receives with {@code bLimit}. */
    private void connect(int aLimit, int bLimit) throws IOException {
        toB = Pipe.open();
        toA = Pipe.open();
        a = ConnectionPorts.overStreams(Channels.newInputStream(toA.source()), Channels.newOutputStream(toB.sink()),
                aLimit, "b");
        b = ConnectionPorts.overStreams(Channels.newInputStream(toB.source()), Channels.newOutputStream(toA.sink()),
                bLimit, "a");
    }

    private static CompletableFuture<byte[]> receiveLater(ConnectionPort port) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return port.receive();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void framesArriveWholeAndInOrder() throws Exception {
        connect(LIMIT, LIMIT);
        byte[] some = "hello".getBytes();
        a.send(new byte[0]);
        a.send(some);
        assertThat(b.receive()).isEmpty();
        assertThat(b.receive()).isEqualTo(some);
        new ControlChannel(b).send(new Output(OutputStream.STDOUT, "line ✓"));
        assertThat(new ControlChannel(a).receive()).isEqualTo(new Output(OutputStream.STDOUT, "line ✓"));
    }

    @Test
    void frameLargerThanThePipeBufferArrivesWhole() throws Exception {
        connect(1 << 20, 1 << 20);
        byte[] big = new byte[300_000];
        Arrays.fill(big, (byte) 7);
        big[big.length - 1] = 9;
        CompletableFuture<byte[]> received = receiveLater(b);
        a.send(big);
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(big);
    }

    @Test
    void oversizedSendIsRefusedOnTheSenderAndThePortStaysUsable() throws Exception {
        connect(LIMIT, LIMIT);
        assertThatThrownBy(() -> a.send(new byte[LIMIT + 1]))
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> assertThat(e.limit()).isEqualTo(LIMIT));
        assertThat(a.isOpen()).isTrue();
        a.send(new byte[] {1, 2, 3});
        assertThat(b.receive()).containsExactly(1, 2, 3);
    }

    @Test
    void frameAtExactlyTheLimitPassesAndOneByteOverFailsOnTheReceiver() throws Exception {
        connect(LIMIT + 1, LIMIT);
        byte[] atLimit = new byte[LIMIT];
        atLimit[LIMIT - 1] = 42;
        a.send(atLimit);
        assertThat(b.receive()).isEqualTo(atLimit);

        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                a.send(new byte[LIMIT + 1]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThatThrownBy(b::receive).isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
            assertThat(e.size()).isEqualTo(LIMIT + 1);
            assertThat(e.limit()).isEqualTo(LIMIT);
        });
        sending.get(10, TimeUnit.SECONDS);
    }

    @Test
    void negativeLengthIsRefusedWithoutAllocating() throws Exception {
        connect(LIMIT, LIMIT);
        try (var raw = Channels.newOutputStream(toB.sink())) {
            raw.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThatThrownBy(b::receive).isInstanceOf(FrameTooLargeException.class)
                    .hasMessageContaining("4294967295 bytes");
        }
    }

    @Test
    void cleanEndBetweenFramesIsEofAndAnEndInsideAFrameIsAFrameException() throws Exception {
        connect(LIMIT, LIMIT);
        new ControlChannel(a).send(new Heartbeat());
        a.close();
        assertThat(new ControlChannel(b).receive()).isEqualTo(new Heartbeat());
        assertThatThrownBy(b::receive).isInstanceOf(EOFException.class).isNotInstanceOf(FrameException.class);

        Pipe half = Pipe.open();
        try (ConnectionPort port = ConnectionPorts.overStreams(Channels.newInputStream(half.source()),
                java.io.OutputStream.nullOutputStream(), LIMIT, "half")) {
            try (var raw = Channels.newOutputStream(half.sink())) {
                raw.write(new byte[] {0, 0, 0, 10, 1, 2, 3}); // 10 bytes announced, 3 sent
            }
            assertThatThrownBy(port::receive).isInstanceOf(FrameException.class)
                    .hasMessageContaining("in the middle of a frame");
        }
    }

    @Test
    void closeIsIdempotentShowsThePeerTheEndAndRefusesLaterSends() throws Exception {
        connect(LIMIT, LIMIT);
        CompletableFuture<byte[]> peer = receiveLater(b);
        a.close();
        a.close();
        assertThat(a.isOpen()).isFalse();
        assertThatThrownBy(() -> peer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(UncheckedIOException.class)
                .hasRootCauseInstanceOf(EOFException.class);
        assertThatThrownBy(() -> a.send(new byte[1])).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    /**
     * A child that never reads its stdin: a send blocks once the pipe is full, holding the lock
     * that closing a process's stdin takes. Closing must not wait for it; the send ends when the
     * child dies.
     */
    @Test
    void closeDoesNotWaitForASendBlockedOnAFullPipe() throws Exception {
        child = new ProcessBuilder("sleep", "60").start();
        a = ConnectionPorts.overStreams(child.getInputStream(), child.getOutputStream(), 1 << 20, "sleep");
        CompletableFuture<Throwable> blockedSend = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> { // its own thread: the common pool may have one worker
            try {
                a.send(new byte[1 << 20]); // far more than a pipe holds
                blockedSend.complete(null);
            } catch (Throwable e) {
                blockedSend.complete(e);
            }
        });
        Thread.sleep(200); // let the send fill the pipe and block (a test of blocking cannot wait on a condition)
        assertThat(blockedSend).as("the send is blocked on the full pipe").isNotDone();

        CompletableFuture<Void> closing = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            a.close();
            closing.complete(null);
        });
        closing.get(5, TimeUnit.SECONDS);
        assertThat(a.isOpen()).isFalse();

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(blockedSend.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    /** The way a process container uses it: a child's stdin and stdout, here {@code cat} echoing frames. */
    @Test
    void overAChildProcessPipesFramesEchoAndClosingEndsTheChild() throws Exception {
        child = new ProcessBuilder("cat").start();
        a = ConnectionPorts.overStreams(child.getInputStream(), child.getOutputStream(), LIMIT, "cat");
        for (int i = 0; i < 100; i++) {
            a.send(("frame " + i).getBytes());
        }
        for (int i = 0; i < 100; i++) {
            assertThat(new String(a.receive())).isEqualTo("frame " + i);
        }
        CompletableFuture<byte[]> blocked = receiveLater(a);
        a.close(); // cat reads the end of its input, exits, and the blocked reader sees the end
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
    }
}
