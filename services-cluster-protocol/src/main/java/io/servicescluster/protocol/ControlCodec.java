package io.servicescluster.protocol;

import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    private ControlCodec() {
    }

    /** The payload of one frame carrying {@code message}. */
    public static byte[] encode(ControlMessage message) {
        WireWriter out = new WireWriter();
        switch (message) {
            case Hello m -> out.u8(HELLO).i32(m.protocolVersion()).string(m.token()).i64(m.pid());
            case Code m -> {
                out.u8(CODE).string(m.serviceName()).i32(m.settings().size());
                m.settings().forEach((k, v) -> out.string(k).string(v));
                out.string(m.workDir()).u8(m.kind().ordinal()).string(m.classNameOrSource())
                        .string(m.sourceName()).i32(m.classpath().size());
                m.classpath().forEach(out::string);
            }
            case Start m -> out.u8(START);
            case Started m -> out.u8(STARTED);
            case StartFailed m -> out.u8(START_FAILED).string(m.reason());
            case Close m -> out.u8(CLOSE);
            case Closed m -> out.u8(CLOSED).string(m.error());
            case Output m -> out.u8(OUTPUT).u8(m.stream().ordinal()).string(m.line());
            case UncaughtException m -> out.u8(UNCAUGHT).string(m.thread()).string(m.className())
                    .string(m.message()).string(m.stackTrace());
            case Stats m -> out.u8(STATS).i64(m.cpuTimeNanos()).f64(m.cpuPercent()).i64(m.heapUsedBytes())
                    .i64(m.heapMaxBytes()).i64(m.rssBytes());
            case Heartbeat m -> out.u8(HEARTBEAT);
        }
        return out.toByteArray();
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
            case HELLO -> new Hello(in.i32(), in.string(), in.i64());
            case CODE -> decodeCode(in);
            case START -> new Start();
            case STARTED -> new Started();
            case START_FAILED -> new StartFailed(in.string());
            case CLOSE -> new Close();
            case CLOSED -> new Closed(in.string());
            case OUTPUT -> new Output(in.enumValue(OutputStream.values()), in.string());
            case UNCAUGHT -> new UncaughtException(in.string(), in.string(), in.string(), in.string());
            case STATS -> new Stats(in.i64(), in.f64(), in.i64(), in.i64(), in.i64());
            case HEARTBEAT -> new Heartbeat();
            default -> throw new FrameException("unknown control message type " + type);
        };
        in.expectEnd(message.getClass().getSimpleName());
        return message;
    }

    private static Code decodeCode(WireReader in) throws FrameException {
        String name = in.string();
        int settingsCount = in.count();
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < settingsCount; i++) {
            settings.put(in.string(), in.string());
        }
        String workDir = in.string();
        CodeKind kind = in.enumValue(CodeKind.values());
        String code = in.string();
        String sourceName = in.string();
        int classpathCount = in.count();
        List<String> classpath = new ArrayList<>(classpathCount);
        for (int i = 0; i < classpathCount; i++) {
            classpath.add(in.string());
        }
        return new Code(name, settings, workDir, kind, code, sourceName, classpath);
    }
}
