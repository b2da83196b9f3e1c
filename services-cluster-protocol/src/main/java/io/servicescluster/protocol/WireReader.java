package io.servicescluster.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link WireWriter} wrote, checking every length against what is left, so that a
 * malformed payload becomes a {@link FrameException} and never an allocation the size of a lie.
 */
final class WireReader {

    private final ByteBuffer buffer;

    WireReader(byte[] payload) {
        this.buffer = ByteBuffer.wrap(payload);
    }

    int u8() throws FrameException {
        need(1, "a byte");
        return buffer.get() & 0xFF;
    }

    int i32() throws FrameException {
        need(4, "an int");
        return buffer.getInt();
    }

    long i64() throws FrameException {
        need(8, "a long");
        return buffer.getLong();
    }

    double f64() throws FrameException {
        need(8, "a double");
        return buffer.getDouble();
    }

    /** A non-negative element count that cannot exceed the bytes left (each element takes one at least). */
    int count() throws FrameException {
        int count = i32();
        if (count < 0 || count > buffer.remaining()) {
            throw new FrameException("malformed message: element count " + count + " with "
                    + buffer.remaining() + " bytes left");
        }
        return count;
    }

    /** What {@link WireWriter#bytes} wrote. */
    byte[] bytes() throws FrameException {
        int length = length("byte string");
        byte[] value = new byte[length];
        buffer.get(value);
        return value;
    }

    String string() throws FrameException {
        int length = length("string");
        ByteBuffer slice = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new FrameException("malformed message: a string is not valid UTF-8", e);
        }
    }

    private int length(String what) throws FrameException {
        int length = i32();
        if (length < 0 || length > buffer.remaining()) {
            throw new FrameException("malformed message: " + what + " of " + length + " bytes with "
                    + buffer.remaining() + " bytes left");
        }
        return length;
    }

    <E extends Enum<E>> E enumValue(E[] values) throws FrameException {
        int ordinal = u8();
        if (ordinal >= values.length) {
            throw new FrameException("malformed message: " + values[0].getDeclaringClass().getSimpleName()
                    + " #" + ordinal + " does not exist");
        }
        return values[ordinal];
    }

    void expectEnd(String what) throws FrameException {
        if (buffer.hasRemaining()) {
            throw new FrameException("malformed message: " + buffer.remaining() + " bytes after the end of " + what);
        }
    }

    private void need(int bytes, String what) throws FrameException {
        if (buffer.remaining() < bytes) {
            throw new FrameException("malformed message: truncated where " + what + " was expected",
                    new BufferUnderflowException());
        }
    }
}
