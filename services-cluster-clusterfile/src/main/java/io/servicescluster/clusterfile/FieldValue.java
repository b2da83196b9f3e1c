package io.servicescluster.clusterfile;

import io.servicescluster.core.config.ConfigValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A {@link ConfigValue}: a field of the file read with the parser's own reads and problem list. */
final class FieldValue implements ConfigValue {

    private final Field field;
    private final Fields fields;
    private final ClusterPaths paths;

    FieldValue(Field field, Fields fields, ClusterPaths paths) {
        this.field = field;
        this.fields = fields;
        this.paths = paths;
    }

    @Override
    public String key() {
        return field.key();
    }

    @Override
    public int line() {
        return field.line();
    }

    @Override
    public void error(String message) {
        fields.error(field, message);
    }

    @Override
    public <T> Optional<T> check(Optional<T> value, Predicate<T> ok, String message) {
        return fields.check(field, value, ok, message);
    }

    @Override
    public Optional<Map<String, ConfigValue>> map(List<String> allowed) {
        return fields.map(field, allowed).map(this::wrap);
    }

    @Override
    public Optional<Map<String, ConfigValue>> anyMap() {
        return fields.anyMap(field).map(this::wrap);
    }

    @Override
    public Optional<List<ConfigValue>> list() {
        return fields.list(field).map(items -> items.stream().<ConfigValue>map(item -> new FieldValue(item, fields, paths)).toList());
    }

    @Override
    public Optional<String> string() {
        return fields.string(field);
    }

    @Override
    public Optional<List<String>> strings() {
        return fields.strings(field);
    }

    @Override
    public Optional<Boolean> bool() {
        return fields.bool(field);
    }

    @Override
    public Optional<Integer> integer() {
        return fields.integer(field);
    }

    @Override
    public Optional<Double> number() {
        return fields.number(field);
    }

    @Override
    public Optional<Duration> duration() {
        return fields.duration(field);
    }

    @Override
    public Optional<Long> size() {
        return fields.size(field);
    }

    @Override
    public Optional<Path> file() {
        return paths.file(field);
    }

    private Map<String, ConfigValue> wrap(Map<String, Field> children) {
        var wrapped = new LinkedHashMap<String, ConfigValue>();
        children.forEach((name, child) -> wrapped.put(name, new FieldValue(child, fields, paths)));
        return wrapped;
    }
}
