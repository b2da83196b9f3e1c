package io.servicescluster.core.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A value of the cluster file with where it is, handed to a {@link ContainerKind} to read its
 * options. A read that fails reports a problem naming the file, the line and the dotted key, and
 * returns empty, so that reading goes on and every problem of the file is found in one pass (the
 * same reads, and the same messages, as the rest of the cluster file).
 */
public final class ConfigValue {

    private final Field field;
    private final Fields fields;

    ConfigValue(Field field, Fields fields) {
        this.field = field;
        this.fields = fields;
    }

    /** The dotted key, such as {@code services.orders.docker.image}. */
    public String key() {
        return field.key();
    }

    /** The line of the key, from 1. */
    public int line() {
        return field.line();
    }

    /** Reports {@code message} about this value. */
    public void error(String message) {
        fields.error(field, message);
    }

    /** {@code value} if it passes {@code ok}; else reports {@code message} and returns empty. */
    public <T> Optional<T> check(Optional<T> value, Predicate<T> ok, String message) {
        return fields.check(field, value, ok, message);
    }

    /** A map whose keys must be among {@code allowed}; each unknown key is reported (with a did-you-mean) and left out. */
    public Optional<Map<String, ConfigValue>> map(List<String> allowed) {
        return fields.map(field, allowed).map(this::wrap);
    }

    /** A map with any keys. */
    public Optional<Map<String, ConfigValue>> anyMap() {
        return fields.anyMap(field).map(this::wrap);
    }

    /** A list. */
    public Optional<List<ConfigValue>> list() {
        return fields.list(field).map(items -> items.stream().map(item -> new ConfigValue(item, fields)).toList());
    }

    public Optional<String> string() {
        return fields.string(field);
    }

    /** A list of strings, or empty if this or any item is not one. */
    public Optional<List<String>> strings() {
        return fields.strings(field);
    }

    public Optional<Boolean> bool() {
        return fields.bool(field);
    }

    public Optional<Integer> integer() {
        return fields.integer(field);
    }

    /** A number, whole or not. */
    public Optional<Double> number() {
        return fields.number(field);
    }

    /** A duration such as {@code 250ms} or {@code 30s}. */
    public Optional<Duration> duration() {
        return fields.duration(field);
    }

    /** A size in bytes, written such as {@code 64m}. */
    public Optional<Long> size() {
        return fields.size(field);
    }

    private Map<String, ConfigValue> wrap(Map<String, Field> children) {
        var wrapped = new LinkedHashMap<String, ConfigValue>();
        children.forEach((name, child) -> wrapped.put(name, new ConfigValue(child, fields)));
        return wrapped;
    }
}
