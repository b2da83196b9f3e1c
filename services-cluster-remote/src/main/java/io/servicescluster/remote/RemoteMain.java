package io.servicescluster.remote;

import io.servicescluster.protocol.ConnectionPort;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.TlsCredentials;
import io.servicescluster.remote.data.DataEndpoint;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The entry point of a remote: {@code java -cp <remote, api, protocol> io.servicescluster.remote.RemoteMain}.
 *
 * <p>Environment: {@code SVC_CONTROL} (required; {@code unix:/path} or {@code tcp:host:port} to
 * connect to, {@code fd:IN,OUT} for pipes inherited from the launcher as file descriptors IN
 * and OUT, read and written respectively, or {@code train} for a {@link TrainingRun}),
 * {@code SVC_TOKEN} or {@code SVC_TOKEN_FILE} (a file holding it; echoed in {@code Hello}), {@code SVC_WATCHDOG_MS} (default 10000, 0 turns the
 * watchdog off), {@code SVC_STATS_MS} (default 1000, 0 turns samples off), {@code SVC_DATA}
 * (optional: where to serve the data plane, {@code unix:/path} or {@code tcp:host:port}; port 0
 * lets the system choose; bound before {@code Hello}, which reports the real endpoint), {@code SVC_TLS}
 * (for {@code tls:host:port} endpoints, R17: where this start's TLS credentials are — {@code fd:N},
 * a descriptor read to its end, such as the launch's stdin pipe, or the path of a file, read and
 * then deleted; PEM, as {@link TlsCredentials#fromPem} reads it. Its certificate's serial is then
 * the hello's token, and the controller's certificate must be the manager's),
 * {@code SVC_PRELOAD_CLASS} and {@code SVC_PRELOAD_CLASSPATH} (optional: a class service's class
 * to load at once, {@link Preload}).
 *
 * <p>Exit status: 0 after an orderly {@code Close}; 1 when the connection was lost (R11); 2 when
 * the environment is wrong or the controller cannot be reached. Start-up is kept lean: no
 * lambdas, no logging, no JMX, and {@code javax.tools} only for source services.
 */
public final class RemoteMain {

    private static final Path PROC_SELF = Path.of("/proc/self");

    private RemoteMain() {
    }

    public static void main(String[] args) {
        long startNanos = System.nanoTime();
        Preload.begin(); // first: it runs beside everything up to the start
        PrintStream diagnostics = System.err;
        String endpoint = System.getenv("SVC_CONTROL");
        if (endpoint == null || endpoint.isBlank()) {
            fail(diagnostics, "SVC_CONTROL is not set; it names the controller, as unix:/path, tcp:host:port, "
                    + "tls:host:port or fd:IN,OUT");
        }
        long watchdogMillis = millis(diagnostics, "SVC_WATCHDOG_MS", 10_000);
        long statsMillis = endpoint.equals("train") ? TrainingRun.STATS_MILLIS
                : millis(diagnostics, "SVC_STATS_MS", 1_000);
        TlsCredentials tls = tls(diagnostics);
        String token = token(diagnostics);
        if (token == null && tls != null) {
            token = tls.serial();
        }
        DataEndpoint data = null;
        boolean training = endpoint.equals("train");
        String dataSpec = training ? TrainingRun.DATA_ENDPOINT : System.getenv("SVC_DATA");
        if (dataSpec != null && !dataSpec.isBlank()) {
            try {
                data = DataEndpoint.bind(dataSpec.trim(), tls);
            } catch (Exception e) {
                if (!training) { // a training without it only makes a cache with less in it
                    fail(diagnostics, "cannot serve the data plane at SVC_DATA=" + dataSpec + ": " + e);
                }
            }
        }
        ControlChannel channel = null;
        try {
            channel = new ControlChannel(endpoint.startsWith("fd:") ? inheritedPipes(endpoint)
                    : endpoint.equals("train") ? TrainingRun.start()
                    : ConnectionPorts.connect(endpoint, ConnectionPorts.DEFAULT_MAX_FRAME_SIZE, tls,
                            TlsCredentials.MANAGER));
            channel.send(new Hello(ControlMessage.PROTOCOL_VERSION, token == null ? "" : token,
                    pid(), data == null ? "" : data.endpoint()));
        } catch (Exception e) {
            fail(diagnostics, "cannot connect to the controller at " + endpoint + ": " + e);
        }
        new RemoteRuntime(channel, diagnostics, startNanos, data, tls).run(watchdogMillis, statsMillis);
    }

    /**
     * This start's TLS credentials from {@code SVC_TLS}, or null without it. A descriptor is closed
     * once read, a file deleted: the private key stays in this process's memory only.
     */
    private static TlsCredentials tls(PrintStream diagnostics) {
        String source = System.getenv("SVC_TLS");
        if (source == null || source.isBlank()) {
            return null;
        }
        try {
            if (source.startsWith("fd:")) {
                try (FileInputStream in = new FileInputStream(descriptor(Integer.parseInt(source.substring(3).trim())))) {
                    return TlsCredentials.fromPem(in.readAllBytes());
                }
            }
            Path file = Path.of(source);
            TlsCredentials read = TlsCredentials.fromPem(Files.readAllBytes(file));
            try {
                Files.deleteIfExists(file);
            } catch (IOException readOnly) {
                // a read-only mount: a Kubernetes secret volume (its owner deletes the secret once this
                // hello is in) or a swarm secret (a read-only tmpfs of this container alone, gone with it)
            }
            return read;
        } catch (IOException | RuntimeException e) {
            fail(diagnostics, "cannot read the TLS credentials at SVC_TLS=" + source + " (fd:N or a file): " + e);
            return null;
        }
    }

    /** The path of this process's descriptor {@code fd}: {@code /dev/fd/N}, else {@code /proc/self/fd/N}. */
    private static String descriptor(int fd) {
        String dev = "/dev/fd/" + fd;
        return Files.exists(Path.of(dev)) ? dev : "/proc/self/fd/" + fd;
    }

    /**
     * The token to say in the hello: {@code SVC_TOKEN}, or the content of the file
     * {@code SVC_TOKEN_FILE} names (a container's: the token never in its environment); none over
     * inherited pipes, which prove by themselves which launch speaks.
     */
    private static String token(PrintStream diagnostics) {
        String token = System.getenv("SVC_TOKEN");
        String file = System.getenv("SVC_TOKEN_FILE");
        if (token == null && file != null && !file.isBlank()) {
            try {
                token = java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
            } catch (java.io.IOException e) {
                fail(diagnostics, "cannot read SVC_TOKEN_FILE=" + file + ": " + e);
            }
        }
        return token;
    }

    /**
     * The control channel over the pipes the launcher left open as descriptors {@code fd:IN,OUT}
     * (the process container's shell moves them off 0 and 1, so that neither this JVM's own messages
     * nor a child process that inherits stdout can write into the channel). Reopened through
     * {@code /dev/fd}, which reaches the same pipe.
     */
    private static ConnectionPort inheritedPipes(String endpoint) throws IOException {
        int comma = endpoint.indexOf(',');
        int in;
        int out;
        try {
            in = Integer.parseInt(endpoint.substring("fd:".length(), Math.max(comma, "fd:".length())));
            out = Integer.parseInt(endpoint.substring(comma + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an fd:IN,OUT endpoint: " + endpoint);
        }
        FileInputStream input;
        FileOutputStream output;
        try {
            input = new FileInputStream("/dev/fd/" + in);
            output = new FileOutputStream("/dev/fd/" + out);
        } catch (FileNotFoundException noDevFd) { // a minimal /dev without the fd link; /proc has them too
            input = new FileInputStream("/proc/self/fd/" + in);
            output = new FileOutputStream("/proc/self/fd/" + out);
        }
        return ConnectionPorts.overStreams(input, output, ConnectionPorts.DEFAULT_MAX_FRAME_SIZE, "the controller (pipes)");
    }

    /**
     * This process's id. On Linux read from the {@code /proc/self} link: {@code ProcessHandle}
     * would start the JDK's process-reaper machinery, some milliseconds on the path to Hello.
     */
    static long pid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(PROC_SELF).toString());
        } catch (Exception e) {
            return ProcessHandle.current().pid();
        }
    }

    private static long millis(PrintStream diagnostics, String name, long defaultValue) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(diagnostics, name + " must be a number of milliseconds, 0 or more: '" + value + "'");
        return defaultValue;
    }

    private static void fail(PrintStream diagnostics, String message) {
        diagnostics.println("services-cluster remote: " + message);
        System.exit(2);
    }
}
