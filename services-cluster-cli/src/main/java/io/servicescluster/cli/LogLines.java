package io.servicescluster.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The lines of a service log file: {@code 2026-11-24T15:00:00.123Z text}. */
final class LogLines {

    private static final int STAMP = "2026-11-24T15:00:00.123Z".length();

    private LogLines() {
    }

    /** The line without its time stamp. */
    static String text(String line) {
        return stamp(line) == null ? line : line.substring(Math.min(line.length(), STAMP + 1));
    }

    /** Whether the line's time stamp is before {@code from}; lines without one are never. */
    static boolean before(String line, Instant from) {
        Instant at = stamp(line);
        return at != null && at.isBefore(from);
    }

    private static Instant stamp(String line) {
        if (line.length() < STAMP || line.charAt(STAMP - 1) != 'Z') {
            return null;
        }
        try {
            return Instant.parse(line.substring(0, STAMP));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
