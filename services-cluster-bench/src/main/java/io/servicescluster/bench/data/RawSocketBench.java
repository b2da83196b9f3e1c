package io.servicescluster.bench.data;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The floor of the data-plane benchmark (issue 14): a raw Java Unix-socket ping-pong, two JVMs,
 * one blocking {@link SocketChannel} each side, no threads but the callers' own. A request is a
 * length-prefixed frame written in one call; the server echoes it, and the client reads the reply
 * on the thread that sent it, so a round trip costs the two wake-ups that the kernel makes and
 * nothing else. {@code server PATH} prints {@code ready} and echoes until the client closes;
 * {@code client PATH} runs the {@link LoadDriver}'s latency rows (only those: with a reply that is
 * complete when {@code request} returns, there is nothing outstanding to measure).
 */
public final class RawSocketBench {

    private RawSocketBench() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[1]);
        if (args[0].equals("server")) {
            serve(path);
        } else {
            load(path);
        }
    }

    private static void serve(Path path) throws IOException {
        Files.deleteIfExists(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            System.out.println("ready");
            System.out.flush();
            try (SocketChannel channel = server.accept()) {
                ByteBuffer frame = ByteBuffer.allocate(1 << 20);
                for (;;) {
                    frame.clear();
                    readFrame(channel, frame);
                    frame.flip();
                    while (frame.hasRemaining()) {
                        channel.write(frame);
                    }
                }
            } catch (EOFException e) {
                // the client is done
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private static void load(Path path) throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            ByteBuffer out = ByteBuffer.allocate(1 << 20);
            ByteBuffer in = ByteBuffer.allocate(1 << 20);
            Transport transport = new Transport() {
                @Override
                public CompletableFuture<byte[]> request(byte[] body) {
                    try {
                        out.clear();
                        out.putInt(body.length).put(body).flip();
                        while (out.hasRemaining()) {
                            channel.write(out);
                        }
                        in.clear();
                        readFrame(channel, in);
                        byte[] reply = new byte[in.position() - 4];
                        in.get(4, reply);
                        return CompletableFuture.completedFuture(reply);
                    } catch (IOException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                }

                @Override
                public void event(byte[] payload) {
                    throw new UnsupportedOperationException("the floor measures request latency only");
                }

                @Override
                public long eventsReceived() {
                    throw new UnsupportedOperationException("the floor measures request latency only");
                }
            };
            LoadDriver driver = new LoadDriver(transport, line -> {
                System.out.println(line);
                System.out.flush();
            });
            driver.runLatency();
        }
        System.out.println("done");
        System.out.flush();
    }

    /** Reads one length-prefixed frame, prefix included, into {@code buffer} from its position. */
    private static void readFrame(SocketChannel channel, ByteBuffer buffer) throws IOException {
        int start = buffer.position();
        while (buffer.position() - start < 4 || buffer.position() - start < 4 + buffer.getInt(start)) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("closed");
            }
        }
    }
}
