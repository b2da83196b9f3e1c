package io.servicescluster.remote.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameOutput}'s held frames: what a reader requests while it handles what it read goes out
 * in one write once it has handled it all, so that the peer's reader wakes once for all of them.
 */
class FrameOutputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Each write's bytes, in order. */
    private final List<byte[]> writes = new CopyOnWriteArrayList<>();
    private final FrameOutput output = new FrameOutput(new RecordingChannel(), () -> { });

    @Test
    void framesHeldByTheReaderGoOutTogetherInOneWriteWhenItHasHandledWhatItRead() throws Exception {
        for (byte frame = 1; frame <= 3; frame++) {
            output.begin(100, 0).put(filled(100, frame));
            output.endHeld();
        }
        assertThat(writes).as("nothing goes out while the reader is still at its batch").isEmpty();

        output.flushHeld();
        await().atMost(TIMEOUT).until(() -> writes.size() == 1);
        byte[] written = writes.get(0);
        assertThat(written).hasSize(300);
        assertThat(written[0]).isEqualTo((byte) 1);
        assertThat(written[150]).isEqualTo((byte) 2);
        assertThat(written[299]).isEqualTo((byte) 3);

        output.flushHeld(); // nothing left: no empty write
        output.begin(10, 0).put(filled(10, (byte) 4));
        output.end(); // a frame of another thread goes at once, as before
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1)).hasSize(10);
    }

    @Test
    void heldFramesBeyondTheLimitGoOutWithoutWaitingForTheReader() throws Exception {
        int frame = FrameOutput.HOLD_LIMIT / 4;
        for (int i = 0; i < 5; i++) { // the fifth finds 64 KiB waiting: a flusher starts
            output.begin(frame, 0).put(filled(frame, (byte) i));
            output.endHeld();
        }
        await().atMost(TIMEOUT).until(() -> writes.stream().mapToInt(w -> w.length).sum() == 5 * frame);
    }

    private static ByteBuffer filled(int size, byte value) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, value);
        return ByteBuffer.wrap(bytes);
    }

    /** A channel that keeps what each write was given. */
    private final class RecordingChannel implements ByteChannel {
        @Override
        public int write(ByteBuffer source) {
            byte[] bytes = new byte[source.remaining()];
            source.get(bytes);
            writes.add(bytes);
            return bytes.length;
        }

        @Override
        public int read(ByteBuffer target) {
            return 0;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
