package io.servicescluster.clusterfile;

import io.servicescluster.clusterfile.YamlNode.ListNode;
import io.servicescluster.clusterfile.YamlNode.MapNode;
import io.servicescluster.clusterfile.YamlNode.Scalar;
import io.servicescluster.core.config.Sizes;
import io.servicescluster.protocol.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed reads of {@link Field}s. A read that fails reports a problem naming the field's line and
 * key and returns empty, so that reading goes on and every problem of a file is found in one pass.
 */
final class Fields {

    private final ProblemList problems;

    Fields(ProblemList problems) {
        this.problems = problems;
    }

    void error(Field field, String message) {
        problems.add(field.line(), field.key(), message);
    }

    /** {@code value} if it passes {@code ok}; else reports {@code message} and returns empty. */
    <T> Optional<T> check(Field field, Optional<T> value, Predicate<T> ok, String message) {
        return value.filter(v -> {
            if (!ok.test(v)) {
                error(field, message);
                return false;
            }
            return true;
        });
    }

    void missing(Field parent, String name, String hint) {
        problems.add(parent.line(), parent.childKey(name), "missing required key: " + hint);
    }

    /** A map whose keys must be among {@code allowed}; each unknown key is reported and left out. */
    Optional<Map<String, Field>> map(Field field, List<String> allowed) {
        return anyMap(field).map(all -> {
            var known = new LinkedHashMap<String, Field>();
            all.forEach((name, child) -> {
                if (allowed.contains(name)) {
                    known.put(name, child);
                } else {
                    error(child, "unknown key '" + name + "'" + suggestion(name, allowed)
                            + " (expected one of: " + String.join(", ", allowed) + ")");
                }
            });
            return known;
        });
    }

    /** A map with any keys. */
    Optional<Map<String, Field>> anyMap(Field field) {
        if (!(field.value() instanceof MapNode map)) {
            return typeError(field, "a map");
        }
        var children = new LinkedHashMap<String, Field>();
        map.entries().values().forEach(entry -> children.put(entry.key(), field.child(entry)));
        return Optional.of(children);
    }

    Optional<List<Field>> list(Field field) {
        if (!(field.value() instanceof ListNode list)) {
            return typeError(field, "a list");
        }
        var items = new ArrayList<Field>();
        list.items().forEach(item -> items.add(field.item(items.size(), item)));
        return Optional.of(items);
    }

    /** A list of strings, or empty if the field or any item is not one. */
    Optional<List<String>> strings(Field field) {
        return list(field).flatMap(items -> {
            var out = new ArrayList<String>();
            items.forEach(item -> string(item).ifPresent(out::add));
            return out.size() == items.size() ? Optional.of(out) : Optional.empty();
        });
    }

    Optional<String> string(Field field) {
        return scalar(field, Scalar.Kind.STRING, "a string");
    }

    Optional<Boolean> bool(Field field) {
        if (field.value() instanceof Scalar s && (s.kind() == Scalar.Kind.TRUE || s.kind() == Scalar.Kind.FALSE)) {
            return Optional.of(s.kind() == Scalar.Kind.TRUE);
        }
        return typeError(field, "true or false");
    }

    Optional<Integer> integer(Field field) {
        return scalar(field, Scalar.Kind.INTEGER, "a whole number").flatMap(text -> {
            try {
                return Optional.of(Integer.parseInt(text));
            } catch (NumberFormatException e) {
                error(field, "'" + text + "' is not a whole number in range");
                return Optional.empty();
            }
        });
    }

    /** A number, whole or not. */
    Optional<Double> number(Field field) {
        if (field.value() instanceof Scalar s && (s.kind() == Scalar.Kind.INTEGER || s.kind() == Scalar.Kind.DECIMAL)) {
            try {
                double value = Double.parseDouble(s.text());
                if (Double.isFinite(value)) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            error(field, "'" + s.text() + "' is not a finite decimal number");
            return Optional.empty();
        }
        return typeError(field, "a number");
    }

    Optional<Duration> duration(Field field) {
        return parsed(field, "a duration such as 250ms, 30s, 5m or 2h", Durations::parse);
    }

    Optional<Long> size(Field field) {
        return parsed(field, "a size such as 512k, 64m or 1g", Sizes::parseBytes);
    }

    private <T> Optional<T> parsed(Field field, String expected, Function<String, T> parse) {
        if (field.value() instanceof Scalar s && s.kind() != Scalar.Kind.NULL) {
            try {
                return Optional.of(parse.apply(s.text()));
            } catch (IllegalArgumentException e) {
                error(field, e.getMessage());
                return Optional.empty();
            }
        }
        return typeError(field, expected);
    }

    private Optional<String> scalar(Field field, Scalar.Kind kind, String expected) {
        if (field.value() instanceof Scalar s && s.kind() == kind) {
            return Optional.of(s.text());
        }
        return typeError(field, expected);
    }

    private <T> Optional<T> typeError(Field field, String expected) {
        String hint = "";
        if (expected.equals("a list") && field.value() instanceof Scalar s && s.kind() != Scalar.Kind.NULL) {
            hint = ": write [" + s.text() + "]";
        }
        error(field, "expected " + expected + ", got " + field.value().describe() + hint);
        return Optional.empty();
    }

    /** {@code ; did you mean 'x'?} for a known key close to {@code name}, else empty. */
    static String suggestion(String name, Collection<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
