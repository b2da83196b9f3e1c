package io.servicescluster.remote.data;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FrameOutput} over a loopback socket whose other end a test thread drains: waiting for room. */
class FrameOutputRoomTest {

    private SocketChannel writing;
    private SocketChannel reading;
    private final AtomicLong received = new AtomicLong();

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            writing = SocketChannel.open(server.getLocalAddress());
            reading = server.accept();
        }
        CompletableFuture.runAsync(this::drain);
    }

    @AfterEach
    void close() throws IOException {
        writing.close();
        reading.close();
    }

    private void drain() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            for (int n; (n = reading.read(buffer.clear())) >= 0; ) {
                received.addAndGet(n);
            }
        } catch (IOException e) {
            // closed
        }
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
        // the flusher writes on its own thread: wait for the bytes, not for the end of the stream
        await().atMost(Duration.ofSeconds(20)).until(() -> received.get() == 100L + FrameOutput.LIMIT);
    }
}
