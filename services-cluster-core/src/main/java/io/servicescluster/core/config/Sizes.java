package io.servicescluster.core.config;

import java.util.regex.Pattern;

/**
 * Memory sizes as written in cluster files (SPEC §4): a whole number and one of the units
 * {@code k}, {@code m}, {@code g} (any case; binary: {@code 1k} is 1024 bytes): {@code 512k},
 * {@code 64m}, {@code 1g}.
 */
public final class Sizes {

    private static final Pattern FORMAT = Pattern.compile("([0-9]+)([kmgKMG])");

    private Sizes() {
    }

    /**
     * Reads a size.
     *
     * @param text the text, such as {@code 256m}
     * @return the size in bytes
     * @throws IllegalArgumentException if {@code text} is not a size or is too large, with a message
     *         that quotes it and gives examples
     */
    public static long parseBytes(String text) {
        var matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid size '" + text
                    + "': write a whole number and a unit, such as 512k, 64m or 1g");
        }
        int shift = switch (Character.toLowerCase(matcher.group(2).charAt(0))) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> throw new AssertionError(matcher.group(2));
        };
        try {
            long number = Long.parseLong(matcher.group(1));
            if (number > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size '" + text + "': too large");
        }
    }
}
