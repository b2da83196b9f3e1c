package io.servicescluster.remote;

import static org.awaitility.Awaitility.await;

import io.servicescluster.api.Service;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The controller's side, for tests: binds a Unix socket, launches a real remote JVM, accepts it,
 * records every message it sends, and can send heartbeats like a real controller.
 */
final class FakeController implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final Path dir;
    final Process process;
    final long launchNanos;
    final List<ControlMessage> received = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, Long> firstArrival = new ConcurrentHashMap<>();
    volatile Throwable readEnd;
    private final ServerSocketChannel server;
    private final ControlChannel channel;
    private volatile boolean heartbeats;

    private FakeController(Path dir, Map<String, String> env) throws Exception {
        this.dir = dir;
        Path socket = dir.resolve("control.sock");
        server = ConnectionPorts.listenUnix(socket);
        ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-cp", remoteClasspath(), RemoteMain.class.getName());
        builder.environment().put("SVC_CONTROL", "unix:" + socket);
        builder.environment().put("SVC_TOKEN", "secret-token");
        builder.environment().put("SVC_WATCHDOG_MS", "5000");
        builder.environment().put("SVC_STATS_MS", "1000");
        builder.environment().putAll(env);
        builder.redirectOutput(dir.resolve("remote.out").toFile()).redirectError(dir.resolve("remote.err").toFile());
        launchNanos = System.nanoTime();
        process = builder.start();
        CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        SocketChannel connection;
        try {
            connection = accepted.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly().onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            server.close();
            throw new IllegalStateException("the remote did not connect; its stderr: " + stderrText(), e);
        }
        channel = new ControlChannel(ConnectionPorts.wrap(connection, ConnectionPorts.DEFAULT_MAX_FRAME_SIZE, "remote"));
        Thread.ofPlatform().daemon().name("fake-controller-reader").start(this::read);
        Thread.ofPlatform().daemon().name("fake-controller-heartbeat").start(this::beat);
    }

    /** Launches a remote with heartbeats on and these extra environment variables. */
    static FakeController launch(Path dir, Map<String, String> env) throws Exception {
        FakeController controller = new FakeController(dir, env);
        controller.heartbeats = true;
        return controller;
    }

    /** Launches a remote that never hears a heartbeat. */
    static FakeController launchSilent(Path dir, Map<String, String> env) throws Exception {
        return new FakeController(dir, env);
    }

    static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The remote's classes plus the api and protocol, wherever the build put them. */
    static String remoteClasspath() {
        return String.join(File.pathSeparator, location(RemoteMain.class), location(Service.class),
                location(ControlMessage.class));
    }

    /** The folder of the test classes: the classpath of the test services. */
    static String testClasses() {
        return location(FakeController.class);
    }

    static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void send(ControlMessage message) throws IOException {
        channel.send(message);
    }

    /** Sends a raw frame, bypassing the codec. */
    void sendRaw(byte[] payload) throws IOException {
        channel.port().send(payload);
    }

    /** Stops sending heartbeats. */
    void silence() {
        heartbeats = false;
    }

    /** Closes the controller's end of the connection, as a dying controller would. */
    void disconnect() {
        heartbeats = false;
        channel.close();
    }

    /** Waits for the first message of {@code type}. */
    <T extends ControlMessage> T awaitMessage(Class<T> type) {
        await("a " + type.getSimpleName() + " message; remote stderr: " + stderrText())
                .atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> first(type) != null);
        return first(type);
    }

    /** Milliseconds from launching the process to the arrival of the first message of {@code type}. */
    long millisToFirst(Class<? extends ControlMessage> type) {
        return TimeUnit.NANOSECONDS.toMillis(firstArrival.get(type) - launchNanos);
    }

    <T extends ControlMessage> T first(Class<T> type) {
        for (ControlMessage message : received) {
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
        return null;
    }

    <T extends ControlMessage> List<T> all(Class<T> type) {
        List<T> result = new ArrayList<>();
        for (ControlMessage message : received) {
            if (type.isInstance(message)) {
                result.add(type.cast(message));
            }
        }
        return result;
    }

    /** The lines received from {@code stream}, in order. */
    List<String> lines(OutputStream stream) {
        List<String> lines = new ArrayList<>();
        for (Output output : all(Output.class)) {
            if (output.stream() == stream) {
                lines.add(output.line());
            }
        }
        return lines;
    }

    /** Waits for the remote process to exit and returns its status. */
    int awaitExit(Duration timeout) throws Exception {
        return process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS).exitValue();
    }

    String stderrText() {
        try {
            return Files.readString(dir.resolve("remote.err"));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        heartbeats = false;
        channel.close();
        server.close();
        process.destroyForcibly();
        process.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private void read() {
        try {
            for (;;) {
                ControlMessage message = channel.receive();
                firstArrival.putIfAbsent(message.getClass(), System.nanoTime());
                received.add(message);
            }
        } catch (Throwable end) {
            readEnd = end;
        }
    }

    private void beat() {
        try {
            while (channel.isOpen()) {
                if (heartbeats) {
                    channel.send(new Heartbeat());
                }
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            // the connection is over
        }
    }
}
