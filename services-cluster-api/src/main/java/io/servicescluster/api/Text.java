package io.servicescluster.api;

import java.nio.charset.StandardCharsets;

/** UTF-8 conversions used by the text helpers of {@link Peer} and {@link ServiceContext}. */
public final class Text {

    private Text() {
    }

    /** {@code text} as UTF-8 bytes. */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code bytes} decoded as UTF-8 (malformed input is replaced, never an error). */
    public static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
