package io.servicescluster.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The typed events that a controller and its remote exchange (R14): lifecycle, output, faults
 * and statistics, never the requests and events that services send each other. Immutable.
 * The wire form is in {@link ControlCodec} and {@code docs/protocol.md}.
 */
public sealed interface ControlMessage {

    /** The protocol version spoken by this build; sent in {@link Hello}. */
    int PROTOCOL_VERSION = 4;

    // ---- remote -> controller -------------------------------------------------------------

    /**
     * First message of a remote: it runs, it is connected, and it waits for code ("remoteReady").
     *
     * @param dataEndpoint where the remote serves requests and events from its dependents
     *     ({@code unix:/path} or {@code tcp:host:port}), or empty if it serves none
     */
    record Hello(int protocolVersion, String token, long pid, String dataEndpoint) implements ControlMessage {
    }

    /**
     * The service's {@code start} returned.
     *
     * @param ownHealthCheck whether the service registered a check of its own with
     *     {@code ServiceContext.health} (R16): then it is {@code running} only once a check passed
     */
    record Started(boolean ownHealthCheck) implements ControlMessage {
    }

    /** The answer to a {@link Probe} with the same {@code id}: passed, or failing with {@code detail}. */
    record ProbeResult(long id, boolean healthy, String detail) implements ControlMessage {
    }

    /** Loading, compiling or starting the service failed; {@code reason} says why, in full. */
    record StartFailed(String reason) implements ControlMessage {
    }

    /** The service's {@code close} returned ({@code error} empty) or threw ({@code error} says what). */
    record Closed(String error) implements ControlMessage {
    }

    /** One line that the service wrote to standard output or standard error. */
    record Output(OutputStream stream, String line) implements ControlMessage {
    }

    /** An exception that no code of the service caught. */
    record UncaughtException(String thread, String className, String message, String stackTrace)
            implements ControlMessage {
    }

    /** A sample of the remote's resource use, sent about once a second. */
    record Stats(long cpuTimeNanos, double cpuPercent, long heapUsedBytes, long heapMaxBytes, long rssBytes)
            implements ControlMessage {
    }

    /**
     * The service asks to spawn a child service (R8). The manager decides (the remote checks
     * nothing itself) and answers with a {@link SpawnResult} of the same {@code requestId}.
     *
     * @param requestId the remote's own number for this request, unique per start
     * @param childName the child's name (R1, R2)
     * @param codeKind whether {@code classNameOrSource} is a class on the parent's classpath or Java source
     * @param settings the child's {@code settings}
     */
    record Spawn(long requestId, String childName, CodeKind codeKind, String classNameOrSource,
            Map<String, String> settings) implements ControlMessage {
        public Spawn {
            settings = Map.copyOf(settings);
        }
    }

    // ---- controller -> remote -------------------------------------------------------------

    /**
     * The service to run: its identity, settings, work directory and code; the dependencies it
     * declared (the only services it may {@code peer}, R15); the secret key from which its
     * dependents' capabilities are derived (see {@link Capabilities}); for {@link CodeKind#MAIN},
     * the arguments of its {@code main}; for {@link CodeKind#COMPILED}, the class files the manager
     * compiled from the service's source (empty for the other kinds).
     */
    record Code(String serviceName, Map<String, String> settings, String workDir, CodeKind kind,
            String classNameOrSource, String sourceName, List<String> classpath, List<String> dependsOn,
            String capabilityKey, List<String> args, List<ClassFile> classes) implements ControlMessage {
        public Code {
            settings = Map.copyOf(settings);
            classpath = List.copyOf(classpath);
            dependsOn = List.copyOf(dependsOn);
            args = List.copyOf(args);
            classes = List.copyOf(classes);
        }

        /** The code of an application ({@code args}) or of a class service. */
        public Code(String serviceName, Map<String, String> settings, String workDir, CodeKind kind,
                String classNameOrSource, String sourceName, List<String> classpath, List<String> dependsOn,
                String capabilityKey, List<String> args) {
            this(serviceName, settings, workDir, kind, classNameOrSource, sourceName, classpath, dependsOn,
                    capabilityKey, args, List.of());
        }

        /** The code of a service, which takes no arguments. */
        public Code(String serviceName, Map<String, String> settings, String workDir, CodeKind kind,
                String classNameOrSource, String sourceName, List<String> classpath, List<String> dependsOn,
                String capabilityKey) {
            this(serviceName, settings, workDir, kind, classNameOrSource, sourceName, classpath, dependsOn,
                    capabilityKey, List.of());
        }
    }

    /**
     * One class file compiled by the manager: its binary name ({@code demo.Greeter$Inner}) and its
     * bytes. Equal when names and bytes are (a record compares arrays by identity).
     */
    record ClassFile(String name, byte[] bytes) {
        public ClassFile {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The number of bytes, without copying them. */
        public int size() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ClassFile c && name.equals(c.name) && Arrays.equals(bytes, c.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "ClassFile[" + name + ", " + bytes.length + " bytes]";
        }
    }

    /**
     * A declared dependency is running at {@code endpoint}; connect with {@code capability} (R6,
     * R15). Sent before {@link Start} for every dependency, and again if a dependency's endpoint
     * changes.
     */
    record PeerUp(String name, String endpoint, String capability) implements ControlMessage {
    }

    /**
     * The answer to {@link Spawn}: the child runs at {@code endpoint} and lets the parent in with
     * {@code capability} ({@code error} empty), or it was refused or failed to start
     * ({@code error} says why; {@code endpoint} and {@code capability} empty).
     */
    record SpawnResult(long requestId, String error, String endpoint, String capability) implements ControlMessage {
    }

    /** Run the service's {@code start}. */
    record Start() implements ControlMessage {
    }

    /**
     * Run one health check (R16) inside the container, within {@code timeoutMillis}, and answer a
     * {@link ProbeResult} with the same {@code id}. {@code target}: a URL for {@link ProbeKind#HTTP},
     * {@code host:port} for {@link ProbeKind#TCP}, the command's words separated by NUL characters
     * for {@link ProbeKind#COMMAND}, empty for {@link ProbeKind#OWN}.
     */
    record Probe(long id, ProbeKind kind, String target, long timeoutMillis) implements ControlMessage {
    }

    /** Run the service's {@code close}, answer {@link Closed}, then exit. */
    record Close() implements ControlMessage {
    }

    // ---- both ways ------------------------------------------------------------------------

    /**
     * Proof of life. The controller sends one every heartbeat interval; the remote's reader
     * answers each at once with one of its own, so a remote whose process is stopped or whose
     * reader is stuck is noticed. A remote ends when its controller is silent past its watchdog.
     */
    record Heartbeat() implements ControlMessage {
    }

    /** Which standard stream an {@link Output} line came from. */
    enum OutputStream { STDOUT, STDERR }

    /** What a {@link Probe} checks: the service's own check, an HTTP URL, a TCP port, or a command. */
    enum ProbeKind { OWN, HTTP, TCP, COMMAND }

    /**
     * How {@link Code#classNameOrSource()} is to be read: a class implementing {@code Service},
     * Java source, the class of an existing application's {@code public static void main} — empty
     * for the {@code Main-Class} of the jar that is the first {@code classpath} entry — or the
     * public class of source that the manager compiled, defined from {@link Code#classes()}.
     * {@link Spawn} uses only the first two (a child's source is compiled by the manager); a
     * {@link Code} never carries {@link #SOURCE}: the remote compiles nothing.
     */
    enum CodeKind { CLASS, SOURCE, MAIN, COMPILED }
}
