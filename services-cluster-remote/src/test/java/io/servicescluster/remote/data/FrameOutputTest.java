package io.servicescluster.remote.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameOutput}'s batching: frames the reader queues wait for the end of its read, within a
 * bound; a writer that expects others' frames lets them join its write and loses none.
 */
class FrameOutputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Each write's bytes, in order. */
    private final List<byte[]> writes = new CopyOnWriteArrayList<>();
    private final FrameOutput output = new FrameOutput(new RecordingChannel(), () -> { });

    @Test
    void framesTheReaderHoldsGoOutTogetherWhenItIsDoneWithItsRead() throws Exception {
        for (byte frame = 1; frame <= 3; frame++) {
            output.begin(100, 0).put(filled(100, frame));
            output.endHeld();
        }
        assertThat(writes).as("nothing goes out while the reader is still at its read").isEmpty();

        output.releaseHeld();
        await().atMost(TIMEOUT).until(() -> writes.size() == 1);
        byte[] written = writes.get(0);
        assertThat(written).hasSize(300);
        assertThat(written[0]).isEqualTo((byte) 1);
        assertThat(written[150]).isEqualTo((byte) 2);
        assertThat(written[299]).isEqualTo((byte) 3);

        output.releaseHeld(); // nothing held: no empty write
        output.begin(10, 0).put(filled(10, (byte) 4));
        output.end(); // a frame of another thread goes at once, as before
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1)).hasSize(10);
    }

    @Test
    void theReaderHoldsAtMostSixteenFramesBeforeAFlusherWrites() throws Exception {
        for (int i = 1; i <= FrameOutput.HOLD_FRAMES; i++) {
            output.begin(8, 0).put(filled(8, (byte) i));
            output.endHeld();
        }
        // the 16th frame started a flusher without the reader's release: the peer is kept busy
        await().atMost(TIMEOUT).until(() -> written() == FrameOutput.HOLD_FRAMES * 8);
    }

    @Test
    void theReaderHoldsAtMostSixteenKibibytesBeforeAFlusherWrites() throws Exception {
        int frame = FrameOutput.HOLD_BYTES / 2;
        for (int i = 0; i < 2; i++) {
            output.begin(frame, 0).put(filled(frame, (byte) i));
            output.endHeld();
        }
        await().atMost(TIMEOUT).until(() -> written() == 2 * frame);
    }

    @Test
    void writersThatExpectOthersLoseNoFrame() throws Exception {
        List<Thread> senders = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1); // all ready at once: a writer's yield finds others to run
        for (int i = 0; i < 1000; i++) {
            senders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    output.begin(10, 0).put(filled(10, (byte) 7));
                    output.endAfterOthers(true);
                } catch (java.io.IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        go.countDown();
        for (Thread sender : senders) {
            sender.join();
        }
        await().atMost(TIMEOUT).until(() -> written() == 10_000);
        assertThat(writes.size()).as("the frames shared writes").isLessThan(1000);
    }

    private int written() {
        return writes.stream().mapToInt(w -> w.length).sum();
    }

    private static ByteBuffer filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
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
