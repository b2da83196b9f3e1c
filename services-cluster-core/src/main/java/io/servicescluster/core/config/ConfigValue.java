package io.servicescluster.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A value of the cluster file with where it is, handed to a {@link ContainerKind} to read its
 * options. A read that fails reports a problem naming the file, the line and the dotted key, and
 * returns empty, so that reading goes on and every problem of the file is found in one pass (the
 * same reads, and the same messages, as the rest of the cluster file). Implemented by the
 * cluster file's reader (module services-cluster-clusterfile); a kind only reads through it.
 */
public interface ConfigValue {

    /** The dotted key, such as {@code services.orders.docker.image}. */
    String key();

    /** The line of the key, from 1. */
    int line();

    /** Reports {@code message} about this value. */
    void error(String message);

    /** {@code value} if it passes {@code ok}; else reports {@code message} and returns empty. */
    <T> Optional<T> check(Optional<T> value, Predicate<T> ok, String message);

    /** A map whose keys must be among {@code allowed}; each unknown key is reported (with a did-you-mean) and left out. */
    Optional<Map<String, ConfigValue>> map(List<String> allowed);

    /** A map with any keys. */
    Optional<Map<String, ConfigValue>> anyMap();

    /** A list. */
    Optional<List<ConfigValue>> list();

    Optional<String> string();

    /** A list of strings, or empty if this or any item is not one. */
    Optional<List<String>> strings();

    Optional<Boolean> bool();

    Optional<Integer> integer();

    /** A number, whole or not. */
    Optional<Double> number();

    /** A duration such as {@code 250ms} or {@code 30s}. */
    Optional<Duration> duration();

    /** A size in bytes, written such as {@code 64m}. */
    Optional<Long> size();

    /**
     * A file that this machine reads (such as a PEM certificate), relative paths against the
     * cluster file's folder, made absolute; when the read checks this machine's files
     * ({@code svc check}, {@code svc run}) it must be a readable file, else a problem is reported.
     */
    Optional<Path> file();
}
