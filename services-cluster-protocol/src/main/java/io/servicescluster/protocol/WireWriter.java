package io.servicescluster.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes big-endian primitives and length-prefixed UTF-8 strings; the forms {@link WireReader} reads. */
final class WireWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

    WireWriter u8(int value) {
        bytes.write(value);
        return this;
    }

    WireWriter i32(int value) {
        bytes.write(value >>> 24);
        bytes.write(value >>> 16);
        bytes.write(value >>> 8);
        bytes.write(value);
        return this;
    }

    WireWriter i64(long value) {
        i32((int) (value >>> 32));
        return i32((int) value);
    }

    WireWriter f64(double value) {
        return i64(Double.doubleToLongBits(value));
    }

    /** An int byte count, then the UTF-8 bytes. */
    WireWriter string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        i32(utf8.length);
        bytes.writeBytes(utf8);
        return this;
    }

    /** An int byte count, then the bytes. */
    WireWriter bytes(byte[] value) {
        i32(value.length);
        bytes.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
