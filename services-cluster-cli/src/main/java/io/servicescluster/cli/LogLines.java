package io.servicescluster.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The lines of a service log file: {@code 2026-11-24T15:00:00.123456Z text} (files of earlier
 * versions have milliseconds: {@code 2026-11-24T15:00:00.123Z text}).
 */
final class LogLines {

    private static final int SHORTEST = "2026-11-24T15:00:00Z".length();
    private static final int LONGEST = "2026-11-24T15:00:00.123456789Z".length();

    private LogLines() {
    }

    /** The line without its time stamp. */
    static String text(String line) {
        int end = stampEnd(line);
        return end < 0 ? line : line.substring(end + 1);
    }

    /** Whether the line's time stamp is before {@code from}; lines without one are never. */
    static boolean before(String line, Instant from) {
        Instant at = stamp(line);
        return at != null && at.isBefore(from);
    }

    /** The line's time stamp, or null if it has none. */
    static Instant stamp(String line) {
        int end = stampEnd(line);
        if (end < 0) {
            return null;
        }
        try {
            return Instant.parse(line.substring(0, end));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Where the time stamp ends (the space after it), or -1. */
    private static int stampEnd(String line) {
        int space = line.indexOf(' ');
        return space >= SHORTEST && space <= LONGEST && line.charAt(space - 1) == 'Z' ? space : -1;
    }
}
