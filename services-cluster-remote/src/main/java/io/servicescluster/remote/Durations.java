package io.servicescluster.remote;

/** Reads and writes durations as in the cluster file: {@code 250ms}, {@code 30s}, {@code 5m}, or bare milliseconds. */
final class Durations {

    private Durations() {
    }

    /**
     * Parses {@code text} into nanoseconds.
     *
     * @throws IllegalArgumentException if it is not a duration
     */
    static long parseNanos(String text) {
        String value = text.trim();
        long unit;
        String number;
        if (value.endsWith("ms")) {
            unit = 1_000_000L;
            number = value.substring(0, value.length() - 2);
        } else if (value.endsWith("s")) {
            unit = 1_000_000_000L;
            number = value.substring(0, value.length() - 1);
        } else if (value.endsWith("m")) {
            unit = 60_000_000_000L;
            number = value.substring(0, value.length() - 1);
        } else {
            unit = 1_000_000L;
            number = value;
        }
        try {
            long amount = Long.parseLong(number.trim());
            if (amount > 0) {
                return Math.multiplyExact(amount, unit);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a positive duration (like 250ms, 30s, 5m): '" + text + "'");
    }

    /** {@code nanos} as {@code 250ms} or {@code 30s}. */
    static String format(long nanos) {
        long millis = nanos / 1_000_000;
        return millis % 1000 == 0 && millis > 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
