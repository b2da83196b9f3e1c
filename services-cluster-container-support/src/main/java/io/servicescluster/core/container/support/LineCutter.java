package io.servicescluster.core.container.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits what a service writes to a pipe the manager reads (its JVM's stderr, a container's
 * log) into lines, each at most {@link #MAX_LINE_BYTES}: a service that writes a line without
 * end — through a child process that inherited the descriptor, say — costs the manager that much
 * memory, not all it has (issue 18). The rest of a longer line is dropped and said so at the
 * cut. A carriage return before the line feed is dropped. Not thread-safe: one per stream.
 */
public final class LineCutter {

    /** The most of one line kept, in bytes (the controller's bound for a service's text). */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    private final Consumer<String> lines;
    private final int maxBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long dropped;

    public LineCutter(Consumer<String> lines) {
        this(lines, MAX_LINE_BYTES);
    }

    LineCutter(Consumer<String> lines, int maxBytes) {
        this.lines = lines;
        this.maxBytes = maxBytes;
    }

    /** Takes {@code length} more bytes of the stream; passes on each line they end. */
    public void accept(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                keep(bytes, start, i - start);
                endLine();
                start = i + 1;
            }
        }
        keep(bytes, start, end - start);
    }

    /** The stream ended: what it wrote after its last line feed is a line too. */
    public void finish() {
        if (line.size() > 0 || dropped > 0) {
            endLine();
        }
    }

    private void keep(byte[] bytes, int offset, int length) {
        int room = maxBytes - line.size();
        int kept = Math.min(room, length);
        line.write(bytes, offset, kept);
        dropped += length - kept;
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        if (dropped > 0) {
            text += " … [cut: " + dropped + " more bytes]";
        } else if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        line.reset();
        dropped = 0;
        lines.accept(text);
    }
}
