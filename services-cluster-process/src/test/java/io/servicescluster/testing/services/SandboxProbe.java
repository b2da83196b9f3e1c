package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tries what a sandbox should allow or refuse and writes each outcome as a line of
 * {@code report.txt} in its work directory ({@code KIND TARGET: ok …} or {@code KIND TARGET:
 * failed …}), then {@code done}; all during {@code start}, so the report is complete once the
 * service runs. Settings (lists are comma-separated):
 * <ul>
 *   <li>{@code tcp} host:port to connect to; {@code write} files to create; {@code read} files to
 *       read; {@code list} folders to list;
 *   <li>{@code serveData} true: listen on its own data socket ({@code SVC_DATA}) if nothing does yet;
 *       {@code dependencyData} a dependency whose data socket to connect to;
 *   <li>after start: {@code allocate} {@code heap} or {@code native}, 1 MiB at a time, kept, once
 *       the file {@code go} exists in its work directory; {@code spin} that many busy threads.
 * </ul>
 */
public final class SandboxProbe implements Service {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile boolean closing;
    private Path report;

    @Override
    public void start(ServiceContext context) throws Exception {
        Map<String, String> settings = context.settings();
        report = context.workDir().resolve("report.txt");
        Files.deleteIfExists(report);
        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        for (String target : list(settings, "tcp")) {
            attempt("tcp " + target, () -> {
                String[] hostPort = target.split(":");
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
                }
                return "";
            });
        }
        for (String target : list(settings, "write")) {
            attempt("write " + target, () -> {
                Files.writeString(Path.of(target), "written by " + context.name());
                return "";
            });
        }
        for (String target : list(settings, "read")) {
            attempt("read " + target, () -> Files.readString(Path.of(target)).trim());
        }
        for (String target : list(settings, "list")) {
            attempt("list " + target, () -> {
                List<String> names = new ArrayList<>();
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(target))) {
                    entries.forEach(p -> names.add(p.getFileName().toString()));
                }
                return names.toString();
            });
        }
        if (Boolean.parseBoolean(settings.getOrDefault("serveData", "false"))) {
            attempt("serve data", this::serveData);
        }
        for (String dependency : list(settings, "dependencyData")) {
            attempt("data " + dependency, () -> connectToDataOf(dependency));
        }
        line("done");
        String allocate = settings.get("allocate");
        if (allocate != null) {
            Path go = context.workDir().resolve("go");
            background("allocator", () -> allocate(allocate, go));
        }
        int spinners = Integer.parseInt(settings.getOrDefault("spin", "0"));
        for (int i = 0; i < spinners; i++) {
            background("spinner-" + i, this::spin);
        }
    }

    @Override
    public void close() throws Exception {
        closing = true;
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private String serveData() throws IOException {
        Path socket = dataSocket();
        if (Files.exists(socket)) {
            return "already served";
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        resources.add(server);
        background("data-acceptor", () -> {
            while (!closing) {
                try (SocketChannel client = server.accept()) {
                    client.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return socket.toString();
    }

    /** The run folder holds one data folder per service (RUN/NAME/_sockets/): connect to a socket in the dependency's. */
    private static String connectToDataOf(String dependency) throws IOException {
        Path folder = dataSocket().getParent().getParent().getParent().resolve(dependency).resolve("_sockets");
        try (DirectoryStream<Path> sockets = Files.newDirectoryStream(folder, "*.data")) {
            for (Path socket : sockets) {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    return "connected to " + socket.getFileName();
                }
            }
        }
        throw new IOException("no data socket in " + folder);
    }

    private static Path dataSocket() {
        return Path.of(System.getenv("SVC_DATA").substring("unix:".length()));
    }

    private void allocate(String kind, Path go) {
        try {
            while (!Files.exists(go)) {
                Thread.sleep(20);
            }
            List<byte[]> kept = new ArrayList<>();
            Object unsafe = kind.equals("native") ? unsafe() : null;
            for (long total = 0; ; total++) {
                if (unsafe == null) {
                    kept.add(new byte[1 << 20]);
                } else {
                    long address = (long) unsafe.getClass().getMethod("allocateMemory", long.class).invoke(unsafe,
                            1L << 20);
                    unsafe.getClass().getMethod("setMemory", long.class, long.class, byte.class)
                            .invoke(unsafe, address, 1L << 20, (byte) 1);
                }
                if (total % 16 == 0) {
                    System.out.println("allocated " + total + " MiB");
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object unsafe() throws Exception {
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        return field.get(null);
    }

    private void spin() {
        long count = 0;
        while (!closing) {
            count++;
        }
        if (count == 42) {
            System.out.println("unlikely");
        }
    }

    private void background(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private interface Attempt {
        String run() throws Exception;
    }

    private void attempt(String what, Attempt attempt) throws IOException {
        try {
            line(what + ": ok " + attempt.run());
        } catch (Exception e) {
            line(what + ": failed " + e);
        }
    }

    private void line(String text) throws IOException {
        Files.writeString(report, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> list(Map<String, String> settings, String key) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? List.of() : List.of(value.split(","));
    }
}
