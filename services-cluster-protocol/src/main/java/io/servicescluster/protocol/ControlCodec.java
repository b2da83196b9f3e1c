package io.servicescluster.protocol;

import io.servicescluster.protocol.ControlMessage.ClassFile;
import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.Probe;
import io.servicescluster.protocol.ControlMessage.ProbeKind;
import io.servicescluster.protocol.ControlMessage.ProbeResult;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@link ControlMessage}s as frame payloads: one type byte, then the record's fields in
 * declaration order ({@link WireWriter} forms). Hand-written rather than reflective so that the
 * remote runtime loads no serialization library and starts fast; the control channel carries
 * few messages, so clarity beats cleverness here.
 */
public final class ControlCodec {

    private static final byte HELLO = 1;
    private static final byte CODE = 2;
    private static final byte START = 3;
    private static final byte STARTED = 4;
    private static final byte START_FAILED = 5;
    private static final byte CLOSE = 6;
    private static final byte CLOSED = 7;
    private static final byte OUTPUT = 8;
    private static final byte UNCAUGHT = 9;
    private static final byte STATS = 10;
    private static final byte HEARTBEAT = 11;
    private static final byte PEER_UP = 12;
    private static final byte SPAWN = 13;
    private static final byte SPAWN_RESULT = 14;
    private static final byte PROBE = 15;
    private static final byte PROBE_RESULT = 16;

    private ControlCodec() {
    }

    /**
     * The payload of one frame carrying {@code message}. An {@code instanceof} chain rather than a
     * pattern {@code switch}: the switch's one-time bootstrap costs milliseconds on the remote's
     * path to its first message.
     */
    public static byte[] encode(ControlMessage message) {
        WireWriter out = new WireWriter();
        if (message instanceof Hello m) {
            out.u8(HELLO).i32(m.protocolVersion()).string(m.token()).i64(m.pid()).string(m.dataEndpoint());
        } else if (message instanceof Code m) {
            encodeCode(out, m);
        } else if (message instanceof Start) {
            out.u8(START);
        } else if (message instanceof Started m) {
            out.u8(STARTED).u8(m.ownHealthCheck() ? 1 : 0);
        } else if (message instanceof StartFailed m) {
            out.u8(START_FAILED).string(m.reason());
        } else if (message instanceof Close) {
            out.u8(CLOSE);
        } else if (message instanceof Closed m) {
            out.u8(CLOSED).string(m.error());
        } else if (message instanceof Output m) {
            out.u8(OUTPUT).u8(m.stream().ordinal()).string(m.line());
        } else if (message instanceof UncaughtException m) {
            out.u8(UNCAUGHT).string(m.thread()).string(m.className()).string(m.message()).string(m.stackTrace());
        } else if (message instanceof Stats m) {
            out.u8(STATS).i64(m.cpuTimeNanos()).f64(m.cpuPercent()).i64(m.heapUsedBytes()).i64(m.heapMaxBytes())
                    .i64(m.rssBytes());
        } else if (message instanceof Heartbeat) {
            out.u8(HEARTBEAT);
        } else if (message instanceof PeerUp m) {
            out.u8(PEER_UP).string(m.name()).string(m.endpoint()).string(m.capability());
        } else if (message instanceof Spawn m) {
            out.u8(SPAWN).i64(m.requestId()).string(m.childName()).u8(m.codeKind().ordinal())
                    .string(m.classNameOrSource()).i32(m.settings().size());
            strings(out, m.settings());
        } else if (message instanceof SpawnResult m) {
            out.u8(SPAWN_RESULT).i64(m.requestId()).string(m.error()).string(m.endpoint()).string(m.capability());
        } else if (message instanceof Probe m) {
            out.u8(PROBE).i64(m.id()).u8(m.kind().ordinal()).string(m.target()).i64(m.timeoutMillis());
        } else if (message instanceof ProbeResult m) {
            out.u8(PROBE_RESULT).i64(m.id()).u8(m.healthy() ? 1 : 0).string(m.detail());
        } else {
            throw new AssertionError("no encoding for " + message.getClass());
        }
        return out.toByteArray();
    }

    private static void encodeCode(WireWriter out, Code m) {
        out.u8(CODE).string(m.serviceName()).i32(m.settings().size());
        strings(out, m.settings());
        out.string(m.workDir()).u8(m.kind().ordinal()).string(m.classNameOrSource()).string(m.sourceName());
        out.i32(m.classpath().size());
        strings(out, m.classpath());
        out.i32(m.dependsOn().size());
        strings(out, m.dependsOn());
        out.string(m.capabilityKey());
        out.i32(m.args().size());
        strings(out, m.args());
        out.i32(m.classes().size());
        for (ClassFile c : m.classes()) {
            out.string(c.name()).bytes(c.bytes());
        }
    }

    // Loops, not lambdas: the remote's training run encodes a Code, and a lambda there would put
    // the JDK's lambda and class-file machinery (~200 classes) into the remote's AOT cache, which
    // every remote then loads at start without ever using it.
    private static void strings(WireWriter out, List<String> values) {
        for (String value : values) {
            out.string(value);
        }
    }

    private static void strings(WireWriter out, Map<String, String> entries) {
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            out.string(entry.getKey()).string(entry.getValue());
        }
    }

    /**
     * Decodes one frame payload.
     *
     * @throws FrameException if the payload is empty, of an unknown type, truncated, or has bytes
     *     left over
     */
    public static ControlMessage decode(byte[] payload) throws FrameException {
        WireReader in = new WireReader(payload);
        int type = in.u8();
        ControlMessage message = switch (type) {
            case HELLO -> new Hello(in.i32(), in.string(), in.i64(), in.string());
            case CODE -> decodeCode(in);
            case START -> new Start();
            case STARTED -> new Started(flag(in));
            case START_FAILED -> new StartFailed(in.string());
            case CLOSE -> new Close();
            case CLOSED -> new Closed(in.string());
            case OUTPUT -> new Output(in.enumValue(OutputStream.values()), in.string());
            case UNCAUGHT -> new UncaughtException(in.string(), in.string(), in.string(), in.string());
            case STATS -> new Stats(in.i64(), in.f64(), in.i64(), in.i64(), in.i64());
            case HEARTBEAT -> new Heartbeat();
            case PEER_UP -> new PeerUp(in.string(), in.string(), in.string());
            case SPAWN -> new Spawn(in.i64(), in.string(), spawnKind(in), in.string(), settings(in));
            case SPAWN_RESULT -> new SpawnResult(in.i64(), in.string(), in.string(), in.string());
            case PROBE -> new Probe(in.i64(), in.enumValue(ProbeKind.values()), in.string(), in.i64());
            case PROBE_RESULT -> new ProbeResult(in.i64(), flag(in), in.string());
            default -> throw new FrameException("unknown control message type " + type);
        };
        in.expectEnd(message.getClass().getSimpleName());
        return message;
    }

    private static Code decodeCode(WireReader in) throws FrameException {
        String name = in.string();
        Map<String, String> settings = settings(in);
        String workDir = in.string();
        CodeKind kind = in.enumValue(CodeKind.values());
        if (kind == CodeKind.SOURCE) {
            throw new FrameException("a Code carries a class, an application or compiled classes, not " + kind
                    + ": the manager compiles source");
        }
        String code = in.string();
        String sourceName = in.string();
        List<String> classpath = strings(in);
        List<String> dependsOn = strings(in);
        String capabilityKey = in.string();
        List<String> args = strings(in);
        return new Code(name, settings, workDir, kind, code, sourceName, classpath, dependsOn, capabilityKey, args,
                classFiles(in));
    }

    private static List<ClassFile> classFiles(WireReader in) throws FrameException {
        int count = in.count();
        List<ClassFile> classes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            classes.add(new ClassFile(in.string(), in.bytes()));
        }
        return classes;
    }

    /** A child is a service: a class or source, never an application's main. */
    private static CodeKind spawnKind(WireReader in) throws FrameException {
        CodeKind kind = in.enumValue(CodeKind.values());
        if (kind == CodeKind.MAIN) {
            throw new FrameException("a Spawn carries a class or source, not " + kind);
        }
        return kind;
    }

    /** A boolean as one byte, 0 or 1; anything else is a malformed frame. */
    private static boolean flag(WireReader in) throws FrameException {
        int value = in.u8();
        if (value > 1) {
            throw new FrameException("a flag of " + value + ", expected 0 or 1");
        }
        return value == 1;
    }

    private static Map<String, String> settings(WireReader in) throws FrameException {
        int count = in.count();
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < count; i++) {
            settings.put(in.string(), in.string());
        }
        return settings;
    }

    private static List<String> strings(WireReader in) throws FrameException {
        int count = in.count();
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(in.string());
        }
        return strings;
    }
}
