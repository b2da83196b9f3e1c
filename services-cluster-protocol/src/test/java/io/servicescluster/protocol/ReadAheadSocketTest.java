package io.servicescluster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket JSSE reads TLS records from: one read of the channel serves many small reads. */
class ReadAheadSocketTest {

    private ServerSocketChannel server;
    private SocketChannel near;
    private SocketChannel far;

    @BeforeEach
    void connect() throws Exception {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        near = SocketChannel.open(server.getLocalAddress());
        far = server.accept();
    }

    @AfterEach
    void close() throws Exception {
        near.close();
        far.close();
        server.close();
    }

    @Test
    void oneReadOfTheChannelTakesWhatHasArrivedAndServesTheSmallReadsAfterIt() throws Exception {
        byte[] sent = bytes(1000);
        write(sent);
        InputStream kernel = near.socket().getInputStream(); // its available() asks the kernel
        await().atMost(Duration.ofSeconds(10)).until(() -> kernel.available() == 1000);
        InputStream in = new ReadAheadSocket(near).getInputStream();

        byte[] header = new byte[5]; // as JSSE reads a record: its header, then its body
        assertThat(in.read(header, 0, 5)).isEqualTo(5);
        byte[] later = bytes(500);
        write(later);
        await().atMost(Duration.ofSeconds(10)).until(() -> kernel.available() == 500);
        assertThat(in.available()).as("all that had arrived came with the first read, and only that").isEqualTo(995);
        byte[] rest = in.readNBytes(995);
        assertThat(concat(header, rest)).isEqualTo(sent);
        assertThat(in.available()).isZero();
        assertThat(in.readNBytes(500)).isEqualTo(later);
    }

    @Test
    void moreThanTheBufferArrivesWholeAndInOrderAndTheEndIsEndOfStream() throws Exception {
        byte[] sent = bytes(3 * ReadAheadSocket.READ_AHEAD + 123);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                write(sent);
                far.shutdownOutput();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        InputStream in = new ReadAheadSocket(near).getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] piece = new byte[7919]; // not a divisor of the buffer: reads straddle its refills
        for (int n; (n = in.read(piece, 0, piece.length)) >= 0; ) {
            received.write(piece, 0, n);
        }
        writer.join();
        assertThat(received.toByteArray()).isEqualTo(sent);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aReadTimeoutHoldsAsOnASocketAndReadingGoesOnAfterIt() throws Exception {
        // JSSE's close sets one to read what is left for 1 ms (so that it sends no reset): refused,
        // its close stopped before it closed the socket
        ReadAheadSocket socket = new ReadAheadSocket(near);
        InputStream in = socket.getInputStream();
        socket.setSoTimeout(1);
        assertThat(socket.getSoTimeout()).isEqualTo(1);
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);

        byte[] sent = bytes(100);
        write(sent);
        assertThat(in.readNBytes(100)).isEqualTo(sent);
        socket.setSoTimeout(0);
        write(sent);
        assertThat(in.readNBytes(100)).isEqualTo(sent);
    }

    @Test
    void closingTheSocketClosesTheChannel() throws Exception {
        ReadAheadSocket socket = new ReadAheadSocket(near);
        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.getPort()).isEqualTo(((InetSocketAddress) far.getLocalAddress()).getPort());

        socket.close();
        assertThat(near.isOpen()).isFalse();
        assertThat(socket.isClosed()).isTrue();
        assertThatThrownBy(socket::getInputStream).isInstanceOf(SocketException.class).hasMessageContaining("closed");
    }

    private void write(byte[] bytes) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            far.write(buffer);
        }
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
