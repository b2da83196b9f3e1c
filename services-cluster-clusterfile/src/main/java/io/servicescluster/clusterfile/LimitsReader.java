package io.servicescluster.clusterfile;

import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.RestartPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads a service's {@code permissions}, {@code resources} and {@code restart}. A value that is not
 * valid is reported and replaced by its default: the result is only used if no problem was found.
 */
final class LimitsReader {

    private static final List<String> PERMISSION_KEYS = List.of("files", "network", "spawn");
    private static final List<String> FILE_KEYS = List.of("read", "write");
    private static final List<String> RESOURCE_KEYS = List.of("memory", "cpus", "pids", "disk");
    private static final List<String> RESTART_KEYS = List.of("policy", "maxRestarts", "within", "backoff");
    private static final List<String> POLICIES = List.of("never", "on-failure", "always");
    private static final int DEFAULT_MAX_RESTARTS = 5;
    private static final Duration DEFAULT_WITHIN = Duration.ofSeconds(60);
    private static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
    /**
     * The least {@code resources.memory}: a remote's JVM took about 24m to say hello (16m was killed
     * before it did, with no word of memory in the reason), so less is refused here, where the
     * message can say why.
     */
    static final long MIN_MEMORY = 32L << 20;

    private final Fields fields;
    private final ClusterPaths paths;

    LimitsReader(Fields fields, ClusterPaths paths) {
        this.fields = fields;
        this.paths = paths;
    }

    /**
     * {@code permissions}, each key absent taken from {@code under} (those of {@code defaults}),
     * else from {@link Permissions#DEFAULT}.
     */
    Optional<Permissions> permissions(Field field, Optional<Permissions> under) {
        Permissions base = under.orElse(Permissions.DEFAULT);
        return fields.map(field, PERMISSION_KEYS).map(keys -> {
            Map<String, Field> files = get(keys, "files").flatMap(f -> fields.map(f, FILE_KEYS)).orElse(Map.of());
            return new Permissions(
                    get(files, "read").map(paths::list).orElse(base.readPaths()),
                    get(files, "write").flatMap(paths::list).orElse(base.writePaths()),
                    get(keys, "network").flatMap(fields::bool).orElse(base.network()),
                    get(keys, "spawn").flatMap(fields::bool).orElse(base.spawn()));
        });
    }

    /** {@code resources}, each key absent taken from {@code under} (those of {@code defaults}). */
    Optional<Resources> resources(Field field, Optional<Resources> under) {
        Resources base = under.orElse(Resources.UNLIMITED);
        return fields.map(field, RESOURCE_KEYS).map(keys -> new Resources(
                get(keys, "memory").flatMap(f -> fields.check(f, fields.size(f), n -> n >= MIN_MEMORY,
                                "must be 32m or more: a JVM needs about 24m before the service's code runs"))
                        .map(OptionalLong::of).orElse(base.memoryBytes()),
                get(keys, "cpus").flatMap(f -> fields.check(f, fields.number(f), n -> n > 0,
                                "must be more than 0, such as 0.5 or 2"))
                        .map(OptionalDouble::of).orElse(base.cpus()),
                get(keys, "pids").flatMap(f -> fields.check(f, fields.integer(f), n -> n >= 16,
                                "must be 16 or more: a JVM alone runs a few dozen threads"))
                        .map(n -> OptionalLong.of(n)).orElse(base.pids()),
                get(keys, "disk").flatMap(f -> fields.check(f, fields.size(f), n -> n >= (8L << 20),
                                "must be 8m or more"))
                        .map(OptionalLong::of).orElse(base.diskBytes())));
    }

    /**
     * {@code restart}, each key absent taken from {@code under} (that of {@code defaults}), else
     * from SPEC's defaults; {@code policy} is required unless {@code defaults} gave one. The policy
     * may be {@code never} with the other keys kept, for the services that read this over it.
     */
    Optional<RestartPolicy> restart(Field field, Optional<RestartPolicy> under) {
        return fields.map(field, RESTART_KEYS).map(keys -> {
            if (!keys.containsKey("policy") && under.isEmpty()) {
                fields.missing(field, "policy", "one of " + String.join(", ", POLICIES));
            }
            var policy = get(keys, "policy").flatMap(this::policy)
                    .orElse(under.map(RestartPolicy::policy).orElse(RestartPolicy.Policy.NEVER));
            int maxRestarts = get(keys, "maxRestarts")
                    .flatMap(f -> fields.check(f, fields.integer(f), n -> n >= 0, "must be 0 or more"))
                    .orElse(under.map(RestartPolicy::maxRestarts).orElse(DEFAULT_MAX_RESTARTS));
            Duration within = get(keys, "within")
                    .flatMap(f -> fields.check(f, fields.duration(f), d -> !d.isZero(), "must be more than 0"))
                    .orElse(under.map(RestartPolicy::within).orElse(DEFAULT_WITHIN));
            Duration backoff = get(keys, "backoff").flatMap(fields::duration)
                    .orElse(under.map(RestartPolicy::backoff).orElse(DEFAULT_BACKOFF));
            return new RestartPolicy(policy, maxRestarts, within, backoff);
        });
    }

    private Optional<RestartPolicy.Policy> policy(Field field) {
        return fields.string(field).flatMap(text -> switch (text) {
            case "never" -> Optional.of(RestartPolicy.Policy.NEVER);
            case "on-failure" -> Optional.of(RestartPolicy.Policy.ON_FAILURE);
            case "always" -> Optional.of(RestartPolicy.Policy.ALWAYS);
            default -> {
                fields.error(field, "unknown policy '" + text + "' (expected one of: " + String.join(", ", POLICIES) + ")");
                yield Optional.empty();
            }
        });
    }

    private static Optional<Field> get(Map<String, Field> keys, String name) {
        return Optional.ofNullable(keys.get(name));
    }
}
