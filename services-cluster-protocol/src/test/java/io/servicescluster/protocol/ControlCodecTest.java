package io.servicescluster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The control codec without sockets: every message round-trips; every malformed payload is a FrameException. */
class ControlCodecTest {

    static Stream<ControlMessage> everyMessage() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dataDir", "data");
        settings.put("ünïcode", "日本語 ✓");
        settings.put("", "");
        return Stream.of(
                new Hello(ControlMessage.PROTOCOL_VERSION, "0123456789abcdef", Long.MAX_VALUE, "unix:/run/x.sock"),
                new Hello(-1, "", 0, ""),
                new Code("orders", settings, "/work/orders", CodeKind.CLASS, "com.example.Orders", "",
                        List.of("/a.jar", "/b/classes"), List.of("store", "stock"), "key-0123"),
                new Code("o", Map.of(), "", CodeKind.COMPILED, "demo.X", "X.java ✓", List.of("/lib.jar"), List.of(), "",
                        List.of(), List.of(new ControlMessage.ClassFile("demo.X", new byte[] {(byte) 0xCA, 0, -1}),
                                new ControlMessage.ClassFile("demo.X$1", new byte[0]))),
                new Code("web", Map.of(), "/w", CodeKind.MAIN, "", "", List.of("/app.jar"), List.of(), "k",
                        List.of("--port", "8080", "", "ünï ✓")),
                new Start(),
                new Started(false),
                new Started(true),
                new Probe(1, ProbeKind.HTTP, "http://127.0.0.1:8080/health", 1000),
                new Probe(Long.MAX_VALUE, ProbeKind.COMMAND, "sh\u0000-c\u0000test -f ready", 0),
                new Probe(-1, ProbeKind.OWN, "", Long.MAX_VALUE),
                new ProbeResult(1, true, ""),
                new ProbeResult(2, false, "HTTP 503 ✗"),
                new StartFailed("java.lang.IllegalStateException: boom\n\tat X.start(X.java:3)"),
                new Close(),
                new Closed(""),
                new Closed("error ✗"),
                new Output(OutputStream.STDOUT, "hello"),
                new Output(OutputStream.STDERR, ""),
                new UncaughtException("worker-1", "java.lang.IllegalArgumentException", "bad", "trace"),
                new Stats(123_456_789L, 12.5, 1L << 20, 1L << 30, 77),
                new Stats(0, Double.NaN, 0, -1, 0),
                new PeerUp("store", "unix:/run/store.data.sock", "capability ✓"),
                new Spawn(7, "worker-1", CodeKind.CLASS, "com.example.Worker", settings),
                new Spawn(Long.MIN_VALUE, "", CodeKind.SOURCE, "public class W {}\n// ✓", Map.of()),
                new SpawnResult(7, "", "unix:/run/p/w/0123abcd.data", "cap-0123"),
                new SpawnResult(-1, "spawn refused: permissions.spawn is false for 'p' ✗", "", ""),
                new Heartbeat());
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void everyMessageRoundTrips(ControlMessage message) throws FrameException {
        assertThat(ControlCodec.decode(ControlCodec.encode(message))).isEqualTo(message);
    }

    @Test
    void theRoundTripCasesCoverEveryMessageType() {
        Set<Class<?>> covered = everyMessage().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(ControlMessage.class.getPermittedSubclasses());
    }

    @Test
    void emptyPayloadIsMalformed() {
        assertMalformed(new byte[0], "truncated");
    }

    @Test
    void unknownTypeIsMalformed() {
        assertMalformed(new byte[] {99}, "unknown control message type 99");
        assertMalformed(new byte[] {0}, "unknown control message type 0");
        assertMalformed(new byte[] {(byte) 0xFF}, "unknown control message type 255");
    }

    @Test
    void everyTruncationOfEveryMessageIsMalformed() {
        everyMessage().forEach(message -> {
            byte[] whole = ControlCodec.encode(message);
            for (int length = 0; length < whole.length; length++) {
                byte[] cut = Arrays.copyOf(whole, length);
                assertThatThrownBy(() -> ControlCodec.decode(cut)).as("%s cut to %d bytes", message, length)
                        .isInstanceOf(FrameException.class);
            }
        });
    }

    @Test
    void trailingBytesAreMalformed() {
        everyMessage().forEach(message -> {
            byte[] whole = ControlCodec.encode(message);
            assertThatThrownBy(() -> ControlCodec.decode(Arrays.copyOf(whole, whole.length + 1))).as("%s", message)
                    .isInstanceOf(FrameException.class).hasMessageContaining("1 bytes after the end of");
        });
    }

    @Test
    void stringLongerThanWhatIsLeftIsMalformed() {
        byte[] payload = new WireWriter().u8(5).i32(1000).toByteArray(); // StartFailed, a 1000-byte string, none there
        assertMalformed(payload, "string of 1000 bytes with 0 bytes left");
    }

    @Test
    void negativeStringLengthIsMalformed() {
        assertMalformed(new WireWriter().u8(5).i32(-1).toByteArray(), "string of -1 bytes");
    }

    @Test
    void badUtf8IsMalformed() {
        byte[] payload = new WireWriter().u8(5).i32(2).u8(0xC3).u8(0x28).toByteArray(); // invalid 2-byte sequence
        assertMalformed(payload, "not valid UTF-8");
        byte[] lone = new WireWriter().u8(5).i32(1).u8(0xFF).toByteArray();
        assertMalformed(lone, "not valid UTF-8");
    }

    @Test
    void negativeCountIsMalformed() {
        byte[] payload = new WireWriter().u8(2).string("orders").i32(-1).toByteArray(); // Code with -1 settings
        assertMalformed(payload, "element count -1");
    }

    @Test
    void countLargerThanWhatIsLeftIsMalformedWithoutAHugeAllocation() {
        byte[] settings = new WireWriter().u8(2).string("orders").i32(Integer.MAX_VALUE).toByteArray();
        assertMalformed(settings, "element count " + Integer.MAX_VALUE);
        byte[] classpath = new WireWriter().u8(2).string("o").i32(0).string("/w").u8(0).string("C").string("")
                .i32(Integer.MAX_VALUE).toByteArray();
        assertMalformed(classpath, "element count " + Integer.MAX_VALUE);
    }

    @Test
    void unknownEnumOrdinalIsMalformed() {
        assertMalformed(new WireWriter().u8(8).u8(2).string("x").toByteArray(), "OutputStream #2 does not exist");
        byte[] code = new WireWriter().u8(2).string("o").i32(0).string("/w").u8(7).string("C").string("").i32(0)
                .toByteArray();
        assertMalformed(code, "CodeKind #7 does not exist");
    }

    @Test
    void aSpawnOfAnApplicationMainIsMalformed() {
        byte[] spawn = ControlCodec.encode(new Spawn(1, "w", CodeKind.CLASS, "com.example.App", Map.of()));
        spawn[1 + 8 + 4 + 1] = (byte) CodeKind.MAIN.ordinal(); // type, requestId, the name "w", then the kind
        assertMalformed(spawn, "a Spawn carries a class or source, not MAIN");
    }

    @Test
    void aCodeOfSourceIsMalformedSinceTheManagerCompiles() {
        byte[] code = new WireWriter().u8(2).string("o").i32(0).string("/w").u8(CodeKind.SOURCE.ordinal())
                .string("public class X {}").toByteArray();
        assertMalformed(code, "not SOURCE: the manager compiles source");
    }

    @Test
    void aClassFileLongerThanWhatIsLeftIsMalformed() {
        byte[] code = ControlCodec.encode(new Code("o", Map.of(), "", CodeKind.COMPILED, "X", "", List.of(), List.of(),
                "", List.of(), List.of(new ControlMessage.ClassFile("X", new byte[] {1, 2, 3}))));
        code[code.length - 3 - 4 + 3] = 9; // the class file's length: 3 -> 9
        assertMalformed(code, "byte string of 9 bytes with 3 bytes left");
    }

    @Test
    void aFlagOtherThanZeroOrOneIsMalformed() {
        byte[] started = ControlCodec.encode(new Started(true));
        started[1] = 2;
        assertMalformed(started, "a flag of 2, expected 0 or 1");
    }

    private static void assertMalformed(byte[] payload, String message) {
        assertThatThrownBy(() -> ControlCodec.decode(payload)).isInstanceOf(FrameException.class)
                .hasMessageContaining(message);
    }
}
