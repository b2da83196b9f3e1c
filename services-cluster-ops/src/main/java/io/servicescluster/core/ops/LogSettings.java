package io.servicescluster.core.ops;

/**
 * How service log files are written: each file is rotated when it would grow past
 * {@code maxFileBytes}, keeping {@code keptFiles} rotated files ({@code NAME.out.log.1} newest …
 * {@code NAME.out.log.N} oldest), so one stream takes at most {@code (keptFiles + 1) × maxFileBytes}.
 * At most {@code queueLines} lines wait for the writer; lines beyond that are dropped and counted.
 *
 * @param maxFileBytes the size at which a file rotates; at least 1 KiB
 * @param keptFiles how many rotated files to keep besides the current one; 0 or more
 * @param queueLines how many lines may wait for the writer thread; at least 1
 */
public record LogSettings(long maxFileBytes, int keptFiles, int queueLines) {

    /** 10 MiB files, 5 kept, 10,000 queued lines. */
    public static final LogSettings DEFAULT = new LogSettings(10L << 20, 5, 10_000);

    public LogSettings {
        if (maxFileBytes < 1024) {
            throw new IllegalArgumentException("a log file's size must be at least 1k, not " + maxFileBytes + " bytes");
        }
        if (keptFiles < 0) {
            throw new IllegalArgumentException("the number of kept log files cannot be negative: " + keptFiles);
        }
        if (queueLines < 1) {
            throw new IllegalArgumentException("the log queue needs room for at least one line");
        }
    }

    /** A copy with another file size. */
    public LogSettings withMaxFileBytes(long bytes) {
        return new LogSettings(bytes, keptFiles, queueLines);
    }

    /** A copy with another number of kept files. */
    public LogSettings withKeptFiles(int files) {
        return new LogSettings(maxFileBytes, files, queueLines);
    }

    /** A copy with another queue bound. */
    public LogSettings withQueueLines(int lines) {
        return new LogSettings(maxFileBytes, keptFiles, lines);
    }
}
