package io.servicescluster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Framing over a real Unix socket pair: the frame limit on both sides, clean and unclean ends. */
class SocketConnectionPortTest {

    private static final int LIMIT = 1024;

    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private ConnectionPort client;
    private ConnectionPort accepted;

    @AfterEach
    void closeAll() throws Exception {
        if (client != null) {
            client.close();
        }
        if (accepted != null) {
            accepted.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A connected pair: {@code client} sends with {@code clientLimit}, {@code accepted} receives with {@code serverLimit}. */
    private void connect(int clientLimit, int serverLimit) throws Exception {
        Path socket = dir.resolve("p.sock");
        server = ConnectionPorts.listenUnix(socket);
        CompletableFuture<SocketChannel> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        client = ConnectionPorts.connectUnix(socket, clientLimit);
        accepted = ConnectionPorts.wrap(accepting.get(10, TimeUnit.SECONDS), serverLimit, "test client");
    }

    @Test
    void framesArriveWholeAndInOrder() throws Exception {
        connect(LIMIT, LIMIT);
        byte[] empty = new byte[0];
        byte[] some = "hello".getBytes();
        client.send(empty);
        client.send(some);
        assertThat(accepted.receive()).isEmpty();
        assertThat(accepted.receive()).isEqualTo(some);
        ControlChannel sender = new ControlChannel(client);
        ControlChannel receiver = new ControlChannel(accepted);
        sender.send(new Output(OutputStream.STDOUT, "line ✓"));
        assertThat(receiver.receive()).isEqualTo(new Output(OutputStream.STDOUT, "line ✓"));
    }

    @Test
    void frameLargerThanSixtyFourKibibytesArrivesWhole() throws Exception {
        connect(1 << 20, 1 << 20);
        byte[] big = new byte[300_000];
        Arrays.fill(big, (byte) 7);
        big[big.length - 1] = 9;
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try {
                return accepted.receive();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        client.send(big);
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(big);
    }

    @Test
    void oversizedSendIsRefusedOnTheSenderAndThePortStaysUsable() throws Exception {
        connect(LIMIT, LIMIT);
        assertThatThrownBy(() -> client.send(new byte[LIMIT + 1]))
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
                    assertThat(e.size()).isEqualTo(LIMIT + 1);
                    assertThat(e.limit()).isEqualTo(LIMIT);
                });
        assertThat(client.isOpen()).isTrue();
        // nothing of the refused frame was written: the next frame is the first the peer sees
        client.send(new byte[] {1, 2, 3});
        assertThat(accepted.receive()).containsExactly(1, 2, 3);
    }

    @Test
    void frameAtExactlyTheLimitPassesAndOneByteOverFailsOnTheReceiver() throws Exception {
        connect(LIMIT + 1, LIMIT);  // the sender allows one byte more than the receiver
        byte[] atLimit = new byte[LIMIT];
        atLimit[LIMIT - 1] = 42;
        client.send(atLimit);
        assertThat(accepted.receive()).isEqualTo(atLimit);

        client.send(new byte[LIMIT + 1]);
        assertThatThrownBy(accepted::receive).isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
            assertThat(e.size()).isEqualTo(LIMIT + 1);
            assertThat(e.limit()).isEqualTo(LIMIT);
        });
    }

    @Test
    void negativeLengthIsRefusedWithoutAllocating() throws Exception {
        Path socket = dir.resolve("raw.sock");
        server = ConnectionPorts.listenUnix(socket);
        try (SocketChannel raw = SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            accepted = ConnectionPorts.wrap(server.accept(), LIMIT, "raw");
            raw.write(ByteBuffer.allocate(4).putInt(0, -1));
            assertThatThrownBy(accepted::receive).isInstanceOf(FrameTooLargeException.class)
                    .hasMessageContaining("4294967295 bytes");
        }
    }

    @Test
    void cleanEndBetweenFramesIsEofAndAnEndInsideAFrameIsAFrameException() throws Exception {
        connect(LIMIT, LIMIT);
        new ControlChannel(client).send(new Heartbeat());
        client.close();
        assertThat(new ControlChannel(accepted).receive()).isEqualTo(new Heartbeat());
        assertThatThrownBy(accepted::receive).isInstanceOf(EOFException.class).isNotInstanceOf(FrameException.class);

        Path socket = dir.resolve("half.sock");
        try (ServerSocketChannel second = ConnectionPorts.listenUnix(socket);
                SocketChannel raw = SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket));
                ConnectionPort port = ConnectionPorts.wrap(second.accept(), LIMIT, "half")) {
            raw.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 10, 1, 2, 3}));  // 10 bytes announced, 3 sent
            raw.shutdownOutput();
            assertThatThrownBy(port::receive).isInstanceOf(FrameException.class)
                    .hasMessageContaining("in the middle of a frame");
        }
    }

    @Test
    void closeIsIdempotentAndWakesABlockedReader() throws Exception {
        connect(LIMIT, LIMIT);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                accepted.receive();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        accepted.close();
        accepted.close();
        assertThat(accepted.isOpen()).isFalse();
        assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> accepted.send(new byte[1])).isInstanceOf(java.io.IOException.class);
    }
}
