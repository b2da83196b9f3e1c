package io.servicescluster.protocol;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Durations as written in cluster files, on the command line and in a service's settings (SPEC §4):
 * a whole number and one of the units {@code ms}, {@code s}, {@code m}, {@code h}, with nothing
 * between them: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}. The one grammar of the project:
 * here, in the JDK-only protocol, because the manager and the remote runtime both read durations
 * (the remote its {@code requestTimeout}-like settings) and the remote may load nothing else.
 */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("([0-9]+)(ms|s|m|h)");
    /**
     * The longest duration read: timers, timeouts and deadlines count in nanoseconds (a long), so a
     * longer one would overflow where it is used (a start timeout of 99999999999999h broke the
     * manager's decision loop) rather than being refused here, where the user can see why.
     */
    static final Duration MAX = Duration.ofHours(Long.MAX_VALUE / 3_600_000_000_000L);

    private Durations() {
    }

    /**
     * Reads a duration.
     *
     * @param text the text, such as {@code 30s}
     * @return the duration, zero or positive
     * @throws IllegalArgumentException if {@code text} is not a duration or is too large, with a message
     *         that quotes it and gives examples
     */
    public static Duration parse(String text) {
        var matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "': write a whole number and a unit, such as 250ms, 30s, 5m or 2h");
        }
        ChronoUnit unit = switch (matcher.group(2)) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> throw new AssertionError(matcher.group(2));
        };
        Duration duration;
        try {
            duration = Duration.of(Long.parseLong(matcher.group(1)), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            duration = MAX.plusMillis(1);
        }
        if (duration.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("invalid duration '" + text + "': too large (at most " + format(MAX) + ")");
        }
        return duration;
    }

    /**
     * Writes a duration in the largest unit that represents it exactly, so that
     * {@code parse(format(d))} equals {@code d} for whole milliseconds.
     *
     * @param duration a duration that is zero or positive
     * @return the text, such as {@code 90s} or {@code 2h}
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis != 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis != 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
