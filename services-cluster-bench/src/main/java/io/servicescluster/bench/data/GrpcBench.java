package io.servicescluster.bench.data;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import io.servicescluster.protocol.TlsCredentials;

/**
 * The gRPC-java side of the benchmark, in its best configuration: Netty (shaded) on loopback
 * TCP (or on the address in the system property {@value #HOST}: the cross-node row), direct
 * executors on both sides (handlers run on the event loop, no hand-off), raw
 * {@code byte[]} messages through a pass-through marshaller (no protobuf). {@code server [TLS]}
 * prints {@code port N} and serves until killed; {@code client PORT [latency|all] [TLS]} runs the
 * {@link LoadDriver} (only its latency rows with {@code latency}). With {@code TLS}, a file of
 * {@link TlsCredentials} PEM: mutual TLS 1.3 with JSSE (the JDK's provider, as ours), the client's
 * certificate required, trusting that CA alone.
 */
public final class GrpcBench {

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> ECHO = method("bench/echo", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> COUNT = method("bench/count", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> EVENTS = method("bench/events",
            MethodDescriptor.MethodType.CLIENT_STREAMING);

    /** The system property of the address the server listens on and the client calls (default {@code 127.0.0.1}). */
    static final String HOST = "bench.grpc.host";
    /** The system property that picks the TLS implementation ({@link #provider}), passed on by {@link DataBench}. */
    static final String SSL = "bench.grpc.ssl";
    /**
     * Where the handler and the client's callbacks run: {@code direct} (the default: on the event
     * loop, gRPC's fastest setup) or {@code default} (gRPC's own default, a cached thread pool).
     */
    static final String EXECUTOR = "bench.grpc.executor";

    private GrpcBench() {
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type).setFullMethodName(name)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) {
            serve(args.length > 1 ? tls(Path.of(args[1]), false) : null);
        } else {
            load(Integer.parseInt(args[1]), args.length > 2 && args[2].equals("latency"),
                    args.length > 3 ? tls(Path.of(args[3]), true) : null);
        }
    }

    /** Netty's TLS over JSSE with {@code file}'s credentials: TLS 1.3 only, both sides certified. */
    private static SslContext tls(Path file, boolean client) throws Exception {
        TlsCredentials credentials = TlsCredentials.fromPem(Files.readString(file));
        SslContextBuilder builder = client
                ? SslContextBuilder.forClient().keyManager(credentials.key(), credentials.certificate())
                : SslContextBuilder.forServer(credentials.key(), credentials.certificate()).clientAuth(ClientAuth.REQUIRE);
        return GrpcSslContexts.configure(builder.trustManager(credentials.authority()).protocols(TlsCredentials.PROTOCOL),
                provider()).build();
    }

    private static void serve(SslContext tls) throws Exception {
        AtomicLong events = new AtomicLong();
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(ByteBuffer.allocate(8).putLong(events.get()).array());
                    response.onCompleted();
                }))
                .addMethod(EVENTS, ServerCalls.asyncClientStreamingCall(response -> new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] value) {
                        events.incrementAndGet();
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        response.onNext(new byte[0]);
                        response.onCompleted();
                    }
                }))
                .build();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host(), 0));
        if (tls != null) {
            builder.sslContext(tls);
        }
        if (directExecutor()) {
            builder.directExecutor();
        }
        Server server = builder.addService(service).build().start();
        System.out.println("port " + server.getPort());
        System.out.flush();
        server.awaitTermination();
    }

    private static void load(int port, boolean latencyOnly, SslContext tls) throws Exception {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host(), port);
        if (tls == null) {
            builder.usePlaintext();
        } else { // the server's certificate names a service, not a host: checked against the CA alone, like ours
            builder.sslContext(tls).overrideAuthority("server");
        }
        if (directExecutor()) {
            builder.directExecutor();
        }
        ManagedChannel channel = builder.build();
        Transport transport = new Transport() {
            private CallStreamObserver<byte[]> stream;
            private CompletableFuture<byte[]> streamDone;

            @Override
            public CompletableFuture<byte[]> request(byte[] body) {
                CompletableFuture<byte[]> reply = new CompletableFuture<>();
                ClientCalls.asyncUnaryCall(channel.newCall(ECHO, CallOptions.DEFAULT), body, observer(reply));
                return reply;
            }

            @Override
            public void event(byte[] payload) {
                if (stream == null) {
                    streamDone = new CompletableFuture<>();
                    stream = (CallStreamObserver<byte[]>) ClientCalls.asyncClientStreamingCall(
                            channel.newCall(EVENTS, CallOptions.DEFAULT), observer(streamDone));
                }
                while (!stream.isReady()) { // gRPC's flow control: wait rather than buffer without bound
                    LockSupport.parkNanos(20_000);
                }
                stream.onNext(payload);
            }

            @Override
            public void endEvents() throws Exception {
                stream.onCompleted();
                streamDone.get(60, TimeUnit.SECONDS);
                stream = null;
            }

            @Override
            public long eventsReceived() throws Exception {
                CompletableFuture<byte[]> reply = new CompletableFuture<>();
                ClientCalls.asyncUnaryCall(channel.newCall(COUNT, CallOptions.DEFAULT), new byte[0], observer(reply));
                return ByteBuffer.wrap(reply.get(30, TimeUnit.SECONDS)).getLong();
            }
        };
        LoadDriver driver = new LoadDriver(transport, line -> {
            System.out.println(line);
            System.out.flush();
        });
        if (latencyOnly) {
            driver.runLatency();
        } else {
            driver.runAll();
        }
        System.out.println("done");
        System.out.flush();
        channel.shutdownNow();
        System.exit(0);
    }

    /**
     * The TLS implementation: JSSE, as ours, unless the system property {@value #SSL} says
     * {@code openssl} (BoringSSL from the shaded netty-tcnative: an experiment, not the benchmark's row).
     */
    private static SslProvider provider() {
        return "openssl".equals(System.getProperty(SSL)) ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    private static boolean directExecutor() {
        return !"default".equals(System.getProperty(EXECUTOR));
    }

    private static String host() {
        return System.getProperty(HOST, "127.0.0.1");
    }

    private static StreamObserver<byte[]> observer(CompletableFuture<byte[]> reply) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                reply.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                reply.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
