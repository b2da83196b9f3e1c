package io.servicescluster.protocol;

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

/**
 * The wire form of {@link DataMessage}s: a frame is a 4-byte big-endian length, a type byte, then
 * the fields. Names are {@code u16} byte counts and UTF-8; a body, payload or text that ends a
 * message takes the rest of the frame, so it needs no length of its own. See {@code
 * docs/protocol.md}, "The data protocol".
 *
 * <p>Two ways in: records ({@link #encode(DataMessage)}, {@link #decode}) for clarity and tests,
 * and {@code write…} methods that take names already encoded, for the hot path, which writes
 * straight into a connection's output buffer. Stateless and thread-safe.
 */
public final class DataCodec {

    /** The data protocol's version, sent in {@link Open}. */
    public static final int VERSION = 1;
    /** The largest body, payload or reply, in bytes: 16 MiB. */
    public static final int MAX_PAYLOAD = 16 * 1024 * 1024;
    /** The largest name (method, event, service, class), in UTF-8 bytes. */
    public static final int MAX_NAME = 0xFFFF;
    /** Texts that end a message (failure messages, refusal reasons) are cut to this many bytes. */
    public static final int MAX_TEXT = 64 * 1024;
    /** The largest frame a receiver accepts, length field excluded. */
    public static final int MAX_FRAME = MAX_PAYLOAD + 4 * MAX_NAME;

    static final byte OPEN = 1;
    static final byte ACCEPTED = 2;
    static final byte REFUSED = 3;
    static final byte REQUEST = 4;
    static final byte REPLY = 5;
    static final byte FAILURE = 6;
    static final byte EVENT = 7;
    static final byte SUBSCRIBE = 8;
    static final byte PUBLISHED = 9;

    private DataCodec() {
    }

    // ---- limits and names -----------------------------------------------------------------

    /**
     * Checks a body or payload against {@link #MAX_PAYLOAD}.
     *
     * @throws IllegalArgumentException naming {@code what}, the size and the limit
     */
    public static void checkPayload(String what, int length) {
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException(what + " of " + length + " bytes exceeds the limit of "
                    + MAX_PAYLOAD + " bytes; nothing was sent");
        }
    }

    /**
     * A name as UTF-8, checked against {@link #MAX_NAME}.
     *
     * @throws IllegalArgumentException if it is longer
     */
    public static byte[] name(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_NAME) {
            throw new IllegalArgumentException("name of " + utf8.length + " bytes exceeds the limit of "
                    + MAX_NAME + " bytes: " + name.substring(0, 40) + "…");
        }
        return utf8;
    }

    private static byte[] text(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_TEXT) {
            return utf8;
        }
        String cut = new String(utf8, 0, MAX_TEXT - 16, StandardCharsets.UTF_8);
        return (cut + " …[cut]").getBytes(StandardCharsets.UTF_8);
    }

    // ---- hot path: frames written into a buffer --------------------------------------------

    /** The frame size (length field included) of a request. */
    public static int requestSize(byte[] method, int bodyLength) {
        return 4 + 1 + 8 + 2 + method.length + bodyLength;
    }

    /** Writes a {@link Request} frame; {@code out} must have {@link #requestSize} bytes left. */
    public static void writeRequest(ByteBuffer out, long id, byte[] method, byte[] body) {
        out.putInt(requestSize(method, body.length) - 4).put(REQUEST).putLong(id);
        out.putShort((short) method.length).put(method).put(body);
    }

    /** The frame size of a reply. */
    public static int replySize(int bodyLength) {
        return 4 + 1 + 8 + bodyLength;
    }

    /** Writes a {@link Reply} frame. */
    public static void writeReply(ByteBuffer out, long id, byte[] body) {
        out.putInt(replySize(body.length) - 4).put(REPLY).putLong(id).put(body);
    }

    /** The frame size of an {@link Event} or {@link Published}. */
    public static int eventSize(byte[] name, int payloadLength) {
        return 4 + 1 + 2 + name.length + payloadLength;
    }

    /** Writes an {@link Event} frame ({@code published} false) or a {@link Published} frame. */
    public static void writeEvent(ByteBuffer out, boolean published, byte[] name, byte[] payload) {
        out.putInt(eventSize(name, payload.length) - 4).put(published ? PUBLISHED : EVENT);
        out.putShort((short) name.length).put(name).put(payload);
    }

    // ---- records -------------------------------------------------------------------------

    /** The whole frame (length field included) carrying {@code message}. */
    public static byte[] encode(DataMessage message) {
        ByteBuffer out = ByteBuffer.allocate(frameSize(message));
        encode(message, out);
        return out.array();
    }

    /** The frame size (length field included) of {@code message}. */
    public static int frameSize(DataMessage message) {
        // instanceof chains rather than pattern switches: no bootstrap on a remote's first connection
        if (message instanceof Request m) {
            return requestSize(name(m.method()), m.body().length);
        } else if (message instanceof Reply m) {
            return replySize(m.body().length);
        } else if (message instanceof Event m) {
            return eventSize(name(m.name()), m.payload().length);
        } else if (message instanceof Published m) {
            return eventSize(name(m.event()), m.payload().length);
        } else if (message instanceof Failure m) {
            return 5 + 8 + 2 + name(m.exceptionClass()).length + text(m.message()).length;
        } else if (message instanceof Subscribe m) {
            return 5 + 2 + name(m.event()).length;
        } else if (message instanceof Open m) {
            return 5 + 2 + 2 + name(m.fromService()).length + 2 + name(m.capability()).length;
        } else if (message instanceof Accepted) {
            return 5;
        } else if (message instanceof Refused m) {
            return 5 + text(m.reason()).length;
        }
        throw new AssertionError("no encoding for " + message.getClass());
    }

    /** Writes the whole frame carrying {@code message} into {@code out}. */
    public static void encode(DataMessage message, ByteBuffer out) {
        int length = frameSize(message) - 4;
        if (message instanceof Request m) {
            writeRequest(out, m.id(), name(m.method()), m.body());
        } else if (message instanceof Reply m) {
            writeReply(out, m.id(), m.body());
        } else if (message instanceof Event m) {
            writeEvent(out, false, name(m.name()), m.payload());
        } else if (message instanceof Published m) {
            writeEvent(out, true, name(m.event()), m.payload());
        } else if (message instanceof Failure m) {
            out.putInt(length).put(FAILURE).putLong(m.id()).put(str16(m.exceptionClass())).put(text(m.message()));
        } else if (message instanceof Subscribe m) {
            out.putInt(length).put(SUBSCRIBE).put(str16(m.event()));
        } else if (message instanceof Open m) {
            out.putInt(length).put(OPEN).putShort((short) m.version()).put(str16(m.fromService()))
                    .put(str16(m.capability()));
        } else if (message instanceof Accepted) {
            out.putInt(length).put(ACCEPTED);
        } else if (message instanceof Refused m) {
            out.putInt(length).put(REFUSED).put(text(m.reason()));
        } else {
            throw new AssertionError("no encoding for " + message.getClass());
        }
    }

    private static byte[] str16(String value) {
        byte[] utf8 = name(value);
        return ByteBuffer.allocate(2 + utf8.length).putShort((short) utf8.length).put(utf8).array();
    }

    /**
     * Reads one message from a frame's payload: {@code payload}'s remaining bytes, length field
     * excluded. Advances {@code payload} to its limit.
     *
     * @throws FrameException if the payload is malformed: unknown type, truncated, or bytes left over
     */
    public static DataMessage decode(ByteBuffer payload) throws FrameException {
        try {
            DataMessage message = switch (payload.get()) {
                case OPEN -> new Open(payload.getShort() & 0xFFFF, string16(payload), string16(payload));
                case ACCEPTED -> new Accepted();
                case REFUSED -> new Refused(rest(payload));
                case REQUEST -> new Request(payload.getLong(), string16(payload), bytes(payload));
                case REPLY -> new Reply(payload.getLong(), bytes(payload));
                case FAILURE -> new Failure(payload.getLong(), string16(payload), rest(payload));
                case EVENT -> new Event(string16(payload), bytes(payload));
                case SUBSCRIBE -> new Subscribe(string16(payload));
                case PUBLISHED -> new Published(string16(payload), bytes(payload));
                default -> throw new FrameException("malformed data message: unknown type "
                        + payload.get(payload.position() - 1));
            };
            if (payload.hasRemaining()) {
                throw new FrameException("malformed data message: " + payload.remaining() + " bytes after the end of "
                        + message.getClass().getSimpleName());
            }
            return message;
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new FrameException("malformed data message: truncated", e);
        }
    }

    private static String string16(ByteBuffer in) throws FrameException {
        int length = in.getShort() & 0xFFFF;
        if (length > in.remaining()) {
            throw new FrameException("malformed data message: name of " + length + " bytes with "
                    + in.remaining() + " bytes left");
        }
        return utf8(in, length);
    }

    private static String rest(ByteBuffer in) {
        return utf8(in, in.remaining());
    }

    private static String utf8(ByteBuffer in, int length) {
        String value;
        if (in.hasArray()) {
            value = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            in.get(in.position(), bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        in.position(in.position() + length);
        return value;
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return bytes;
    }
}
