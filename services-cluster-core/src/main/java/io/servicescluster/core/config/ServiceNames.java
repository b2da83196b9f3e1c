package io.servicescluster.core.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for names of services and clusters (SPEC R1): 1 to 63 characters of {@code a-z},
 * {@code 0-9} and {@code -}, starting with a letter and not ending with {@code -}. Such a name is
 * also a valid DNS label, so it can name a process, a Docker container or a Kubernetes pod as is.
 */
public final class ServiceNames {

    /** The rule in words, as it appears at the end of every message about a bad name. */
    public static final String RULE =
            "a name is 1 to 63 characters of a-z, 0-9 and '-', starts with a letter and does not end with '-'";

    private static final Pattern VALID = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private ServiceNames() {
    }

    /**
     * Whether {@code name} breaks R1, and how.
     *
     * @param name the name to check; {@code null} is a bad name
     * @return empty for a valid name, else a message that quotes the name and states the rule, e.g.
     *         {@code invalid name 'Foo_1': a name is 1 to 63 characters of ...}
     */
    public static Optional<String> problem(String name) {
        if (name != null && VALID.matcher(name).matches()) {
            return Optional.empty();
        }
        String quoted = name == null ? "null" : "'" + name + "'";
        return Optional.of("invalid name " + quoted + ": " + RULE);
    }

    /**
     * Whether {@code name} follows R1.
     *
     * @param name the name to check, may be {@code null}
     * @return true for a valid name
     */
    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    /**
     * Refuses a name that breaks R1.
     *
     * @param name the name to check
     * @return {@code name}, for use in assignments
     * @throws IllegalArgumentException with the message of {@link #problem} if the name is bad
     */
    public static String require(String name) {
        problem(name).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
        return name;
    }
}
