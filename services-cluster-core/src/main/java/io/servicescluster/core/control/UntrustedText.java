package io.servicescluster.core.control;

/**
 * Text that a service wrote (output lines, exceptions, failure reasons) made safe to keep and to
 * show: bounded in size, and with every character that could move a terminal's cursor, start a
 * line, change colours or reorder what follows replaced by a visible escape. The one place where
 * this is decided: the controller bounds what a remote says, and whatever prints or logs a
 * service's text (the console, the log files, the event log, {@code svc ps}) escapes it here, so
 * that no service can forge another's line or drive the terminal (docs/security.md).
 */
public final class UntrustedText {

    /** The most a single text (an output line, a reason, an exception report) keeps, in UTF-8 bytes. */
    public static final int MAX_BYTES = 64 * 1024;

    private UntrustedText() {
    }

    /**
     * {@code text} with every control character escaped as {@code \}{@code uXXXX}: C0 (line feed
     * and carriage return included; tab is kept, it moves no line), DEL, C1, the line and
     * paragraph separators and the bidirectional controls (U+061C, U+200E/F, U+202A–E,
     * U+2066–9). For a single line (an output line, a log line).
     */
    public static String escape(String text) {
        return escape(text, false);
    }

    /** As {@link #escape(String)}, but keeps line feeds: for a stack trace or a reason of several lines. */
    public static String escapeKeepingLines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLines) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean kept = !isControl(c) || c == '\t' || keepLines && c == '\n';
            if (kept) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            out.append(String.format("\\u%04x", (int) c));
        }
        return out == null ? text : out.toString();
    }

    /** Whether {@code c} is a character that {@link #escape} replaces (tab included). */
    static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x061c || c == 0x200e || c == 0x200f
                || c >= 0x2028 && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
    }

    /**
     * {@code text} cut to at most {@code maxBytes} bytes of UTF-8 (never inside a character), with
     * a visible marker saying how many bytes were cut: {@code … [cut: 123 bytes]}. Unchanged when
     * it fits.
     */
    public static String cut(String text, int maxBytes) {
        if (text.length() <= maxBytes / 3) {
            return text; // fits whatever its characters are: a UTF-16 unit is at most 3 bytes of UTF-8
        }
        int bytes = 0;
        int end = -1;
        int kept = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int width = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : Character.isLowSurrogate(c) ? 0 : 3;
            if (end < 0 && bytes + width > maxBytes) {
                end = i;
                kept = bytes;
            }
            bytes += width;
        }
        return end < 0 ? text : text.substring(0, end) + " … [cut: " + (bytes - kept) + " bytes]";
    }
}
