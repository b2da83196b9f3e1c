package io.servicescluster.clusterfile;

import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.config.HealthSpec.Probe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code health:} (R16) of a service or of {@code defaults} into a {@link Draft}: each key
 * optional, so that a service's keys win over those of {@code defaults} one by one.
 */
final class HealthReader {

    static final List<String> KEYS = List.of("http", "tcp", "command", "interval", "timeout", "retries",
            "startPeriod");
    private static final List<String> PROBES = List.of("http", "tcp", "command");

    /** What one {@code health:} map says; empty values were not given (or were reported). */
    record Draft(Optional<Probe> probe, Optional<Duration> interval, Optional<Duration> timeout,
            Optional<Integer> retries, Optional<Duration> startPeriod) {

        /**
         * The check of a service with this draft (its own {@code health:}, or none) over that of
         * {@code defaults}: checked if the service has {@code health:} or the defaults name a
         * probe; timing key by key, the service's winning. Empty: no check from the file (a
         * check the service registers still runs, with {@link HealthSpec#OWN_CHECK}'s timing).
         */
        static Optional<HealthSpec> merge(Optional<Draft> own, Optional<Draft> defaults) {
            if (own.isEmpty() && defaults.flatMap(Draft::probe).isEmpty()) {
                return Optional.empty();
            }
            Draft mine = own.orElse(NONE);
            Draft base = defaults.orElse(NONE);
            return Optional.of(new HealthSpec(mine.probe.or(() -> base.probe),
                    mine.interval.or(() -> base.interval).orElse(HealthSpec.DEFAULT_INTERVAL),
                    mine.timeout.or(() -> base.timeout).orElse(HealthSpec.DEFAULT_TIMEOUT),
                    mine.retries.or(() -> base.retries).orElse(HealthSpec.DEFAULT_RETRIES),
                    mine.startPeriod.or(() -> base.startPeriod).orElse(Duration.ZERO)));
        }

        private static final Draft NONE = new Draft(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private final Fields fields;

    HealthReader(Fields fields) {
        this.fields = fields;
    }

    Optional<Draft> read(Field field) {
        return fields.map(field, KEYS).map(keys -> {
            List<String> given = PROBES.stream().filter(keys::containsKey).toList();
            if (given.size() > 1) {
                fields.error(keys.get(given.get(1)), "health has both '" + given.get(0) + "' and '" + given.get(1)
                        + "': a check is one of http, tcp or command (or none of them: the service's own check)");
            }
            Optional<Probe> probe = given.isEmpty() ? Optional.empty() : switch (given.get(0)) {
                case "http" -> http(keys.get("http"));
                case "tcp" -> tcp(keys.get("tcp"));
                default -> command(keys.get("command"));
            };
            return new Draft(probe,
                    positive(keys, "interval"),
                    positive(keys, "timeout"),
                    get(keys, "retries").flatMap(f -> fields.check(f, fields.integer(f), n -> n >= 1, "must be 1 or more")),
                    get(keys, "startPeriod").flatMap(fields::duration));
        });
    }

    private Optional<Duration> positive(Map<String, Field> keys, String name) {
        return get(keys, name).flatMap(f -> fields.check(f, fields.duration(f), d -> !d.isZero(), "must be more than 0"));
    }

    private Optional<Probe> http(Field field) {
        return fields.string(field).flatMap(text -> {
            try {
                URI url = new URI(text);
                if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                    return Optional.of(new HealthSpec.Http(url));
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            fields.error(field, "'" + text + "' is not an http:// or https:// URL with a host, such as"
                    + " http://127.0.0.1:8080/health");
            return Optional.empty();
        });
    }

    private Optional<Probe> tcp(Field field) {
        return fields.string(field).flatMap(text -> {
            int colon = text.lastIndexOf(':');
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                String host = text.substring(0, Math.max(colon, 0));
                if (colon > 0 && port > 0 && port < 65536) {
                    return Optional.of(new HealthSpec.Tcp(host, port));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            fields.error(field, "'" + text + "' is not host:port with a port from 1 to 65535, such as 127.0.0.1:8080");
            return Optional.empty();
        });
    }

    private Optional<Probe> command(Field field) {
        if (field.value() instanceof YamlNode.Scalar line && line.kind() == YamlNode.Scalar.Kind.STRING) {
            // a command line as one string: the generic hint, [LINE], would make it a single word
            fields.error(field, "expected a list of words, got " + line.describe() + ": write [sh, -c, \""
                    + line.text().replace("\"", "\\\"") + "\"] to run it through a shell");
            return Optional.empty();
        }
        return fields.strings(field).flatMap(words -> {
            if (words.isEmpty()) {
                fields.error(field, "a health command needs at least one word, such as [sh, -c, \"test -f ready\"]");
                return Optional.empty();
            }
            return Optional.of(new HealthSpec.Command(words));
        });
    }

    private static Optional<Field> get(Map<String, Field> keys, String name) {
        return Optional.ofNullable(keys.get(name));
    }
}
