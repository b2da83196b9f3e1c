package io.servicescluster.remote;

import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of {@code System.out} or {@code System.err}, cut into lines, each sent as one
 * {@link Output} message. {@code \n} and {@code \r\n} end a line; a partial line is sent by
 * {@link #flushPartialLine} (and {@link #close}), not by {@link #flush}. Lines longer than
 * {@value #MAX_LINE_BYTES} bytes are cut at a character boundary, with a note saying how many
 * bytes were dropped. Bytes are decoded as UTF-8, the charset of the {@code PrintStream} on top.
 *
 * <p>Threading: safe from any thread; a {@link ReentrantLock} keeps lines whole and does not pin
 * virtual threads. A write waits only as long as {@link Outbox#offer} does.
 */
final class LineOutputStream extends java.io.OutputStream {

    static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int KEPT_BUFFER = 8 * 1024;

    /** Where finished lines go; {@link Outbox} in production. */
    interface Sink {
        /** Takes one line; may wait a bounded time, never forever. */
        void line(Output line);
    }

    private final Sink sink;
    private final OutputStream stream;
    private final ReentrantLock lock = new ReentrantLock();
    private byte[] buffer = new byte[256];
    private int length;
    private long droppedBytes;

    LineOutputStream(Sink sink, OutputStream stream) {
        this.sink = sink;
        this.stream = stream;
    }

    @Override
    public void write(int b) {
        lock.lock();
        try {
            if (b == '\n') {
                emitLine();
            } else {
                append(new byte[] {(byte) b}, 0, 1);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, bytes.length);
        lock.lock();
        try {
            int start = offset;
            int end = offset + count;
            for (int i = offset; i < end; i++) {
                if (bytes[i] == '\n') {
                    append(bytes, start, i - start);
                    emitLine();
                    start = i + 1;
                }
            }
            append(bytes, start, end - start);
        } finally {
            lock.unlock();
        }
    }

    /** Sends the bytes written since the last line end, if any, as a line of their own. */
    void flushPartialLine() {
        lock.lock();
        try {
            if (length > 0 || droppedBytes > 0) {
                emitLine();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends a partial line; the stream stays usable (the runtime owns it, not the service). */
    @Override
    public void close() {
        flushPartialLine();
    }

    private void append(byte[] bytes, int offset, int count) {
        int taken = Math.min(count, MAX_LINE_BYTES - length);
        if (taken > 0) {
            if (length + taken > buffer.length) {
                byte[] grown = new byte[Math.min(MAX_LINE_BYTES, Math.max(length + taken, buffer.length * 2))];
                System.arraycopy(buffer, 0, grown, 0, length);
                buffer = grown;
            }
            System.arraycopy(bytes, offset, buffer, length, taken);
            length += taken;
        }
        droppedBytes += count - Math.max(taken, 0);
    }

    private void emitLine() {
        int end = length;
        long dropped = droppedBytes;
        if (dropped > 0) {
            end = completeCharacters();
            dropped += length - end;
        } else if (end > 0 && buffer[end - 1] == '\r') {
            end--;
        }
        String line = new String(buffer, 0, end, StandardCharsets.UTF_8);
        if (dropped > 0) {
            line = line + " [... " + dropped + " bytes dropped: line longer than " + MAX_LINE_BYTES + " bytes]";
        }
        length = 0;
        droppedBytes = 0;
        if (buffer.length > KEPT_BUFFER) {
            buffer = new byte[256];
        }
        sink.line(new Output(stream, line));
    }

    /** The length of the buffer's prefix that holds only whole UTF-8 characters (the cut may split the last). */
    private int completeCharacters() {
        if (length == 0) {
            return 0;
        }
        int lead = length - 1;
        while (lead > 0 && (buffer[lead] & 0xC0) == 0x80) {
            lead--;
        }
        int b = buffer[lead] & 0xFF;
        int size = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return lead + size <= length ? length : lead;
    }
}
