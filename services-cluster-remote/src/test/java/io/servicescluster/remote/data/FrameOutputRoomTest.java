package io.servicescluster.remote.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FrameOutput} over a loopback socket whose other end a test thread drains: waiting for room. */
class FrameOutputRoomTest {

    private SocketChannel writing;
    private SocketChannel reading;
    private CompletableFuture<Long> drained;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            writing = SocketChannel.open(server.getLocalAddress());
            reading = server.accept();
        }
        drained = CompletableFuture.supplyAsync(this::drain);
    }

    @AfterEach
    void close() throws IOException {
        writing.close();
        reading.close();
    }

    private long drain() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        try {
            for (int n; (n = reading.read(buffer.clear())) >= 0; ) {
                total += n;
            }
        } catch (IOException e) {
            // closed
        }
        return total;
    }

    /**
     * The reader held a small frame for the end of its read (no flusher at it) and then needs
     * room for a frame that does not fit beside it: waiting for room must write what it held,
     * else no one makes room and the send stalls (a direct handler's large reply after a small
     * one of the same read closed the connection).
     */
    @Test
    void waitingForRoomWritesWhatTheReaderHeld() throws Exception {
        FrameOutput output = new FrameOutput(writing, () -> { });
        ByteBuffer out = output.begin(100, 0);
        out.put(new byte[100]);
        output.endHeld();

        assertThatCode(() -> {
            ByteBuffer big = output.begin(FrameOutput.LIMIT, TimeUnit.SECONDS.toNanos(5));
            big.put(new byte[FrameOutput.LIMIT]);
            output.endHeld();
        }).doesNotThrowAnyException();
        output.releaseHeld();
        writing.shutdownOutput();
        assertThat(drained.get(20, TimeUnit.SECONDS)).isEqualTo(100L + FrameOutput.LIMIT);
    }
}
