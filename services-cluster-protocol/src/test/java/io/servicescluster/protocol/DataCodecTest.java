package io.servicescluster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.protocol.DataMessage.Accepted;
import io.servicescluster.protocol.DataMessage.Event;
import io.servicescluster.protocol.DataMessage.Failure;
import io.servicescluster.protocol.DataMessage.Open;
import io.servicescluster.protocol.DataMessage.Published;
import io.servicescluster.protocol.DataMessage.Refused;
import io.servicescluster.protocol.DataMessage.Reply;
import io.servicescluster.protocol.DataMessage.Request;
import io.servicescluster.protocol.DataMessage.Subscribe;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data protocol's wire form, without sockets. */
class DataCodecTest {

    private static final byte[] BODY = "héllo".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyMessageSurvivesTheRoundTrip() throws Exception {
        List<DataMessage> messages = List.of(new Open(DataCodec.VERSION, "orders", "ab12"), new Accepted(),
                new Refused("no capability"), new Request(Long.MAX_VALUE, "price", BODY), new Reply(7, BODY),
                new Failure(8, "java.lang.IllegalStateException", "bäd"), new Event("tick", BODY),
                new Subscribe("prices"), new Published("prices", new byte[0]));
        for (DataMessage message : messages) {
            DataMessage decoded = roundTrip(message);
            assertThat(decoded).isExactlyInstanceOf(message.getClass());
            assertThat(decoded.toString().replaceAll("\\[B@\\w+", "bytes"))
                    .isEqualTo(message.toString().replaceAll("\\[B@\\w+", "bytes"));
        }
        assertThat(((Request) roundTrip(new Request(1, "m", BODY))).body()).isEqualTo(BODY);
        assertThat(((Published) roundTrip(new Published("e", BODY))).payload()).isEqualTo(BODY);
    }

    @Test
    void frameIsLengthTypeThenFields() {
        byte[] frame = DataCodec.encode(new Request(1, "m", new byte[] {9}));
        // length 13 | type 4 | id 1 | name length 1 | 'm' | body 9
        assertThat(frame).containsExactly(0, 0, 0, 13, 4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 'm', 9);
        assertThat(DataCodec.frameSize(new Request(1, "m", new byte[] {9}))).isEqualTo(frame.length);
    }

    @Test
    void hotPathWritersMatchTheRecords() {
        ByteBuffer out = ByteBuffer.allocate(DataCodec.eventSize("tick".getBytes(), BODY.length));
        DataCodec.writeEvent(out, true, "tick".getBytes(), BODY);
        assertThat(out.array()).isEqualTo(DataCodec.encode(new Published("tick", BODY)));
        out = ByteBuffer.allocate(DataCodec.replySize(BODY.length));
        DataCodec.writeReply(out, 5, BODY);
        assertThat(out.array()).isEqualTo(DataCodec.encode(new Reply(5, BODY)));
    }

    @Test
    void malformedPayloadsAreRefused() {
        assertThatThrownBy(() -> DataCodec.decode(ByteBuffer.wrap(new byte[] {42})))
                .isInstanceOf(FrameException.class).hasMessageContaining("unknown type 42");
        assertThatThrownBy(() -> DataCodec.decode(ByteBuffer.wrap(new byte[] {4, 0, 0})))
                .isInstanceOf(FrameException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> DataCodec.decode(ByteBuffer.wrap(new byte[] {8, 0, 9, 'a'})))
                .isInstanceOf(FrameException.class).hasMessageContaining("name of 9 bytes");
        assertThatThrownBy(() -> DataCodec.decode(ByteBuffer.wrap(new byte[] {2, 0})))
                .isInstanceOf(FrameException.class).hasMessageContaining("1 bytes after the end of Accepted");
    }

    @Test
    void payloadLimitIsInclusive() {
        DataCodec.checkPayload("body", DataCodec.MAX_PAYLOAD);
        assertThatThrownBy(() -> DataCodec.checkPayload("body", DataCodec.MAX_PAYLOAD + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("body of 16777217 bytes exceeds the limit of 16777216 bytes; nothing was sent");
        assertThatThrownBy(() -> DataCodec.name("x".repeat(DataCodec.MAX_NAME + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the limit of 65535");
    }

    @Test
    void longFailureMessagesAreCut() throws Exception {
        Failure failure = (Failure) roundTrip(new Failure(1, "X", "y".repeat(DataCodec.MAX_TEXT * 2)));
        assertThat(failure.message()).hasSizeLessThanOrEqualTo(DataCodec.MAX_TEXT).endsWith("…[cut]");
    }

    private static DataMessage roundTrip(DataMessage message) throws FrameException {
        ByteBuffer frame = ByteBuffer.wrap(DataCodec.encode(message));
        assertThat(frame.getInt()).isEqualTo(frame.remaining());
        return DataCodec.decode(frame);
    }
}
