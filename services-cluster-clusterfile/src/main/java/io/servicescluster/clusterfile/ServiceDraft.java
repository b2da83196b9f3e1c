package io.servicescluster.clusterfile;

import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ContainerOptions;
import io.servicescluster.core.config.JvmOptions;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.ServiceSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The per-service keys as one map of the file gives them (a service's, or {@code defaults}); empty
 * means not given, or not valid (then a problem was reported and nothing is built).
 *
 * @param dependsOn the items of {@code dependsOn}, with their lines, for the graph's messages
 * @param options the container kinds' options read without a problem, by key
 * @param placement SPEC §6's {@code placement:}, as options of the map's kind with only their placement fields
 * @param jvmOptions the valid items of {@code jvm.options}, with their lines, for the heap's messages
 */
record ServiceDraft(Optional<CodeSpec> code, List<Field> dependsOn, Optional<String> container,
        Optional<Map<String, String>> settings, Optional<Permissions> permissions, Optional<Resources> resources,
        Optional<RestartPolicy> restart, Optional<Duration> startTimeout, Optional<Duration> closeTimeout,
        Map<String, ContainerOptions> options, Optional<ContainerOptions> placement, List<Field> jvmOptions, Optional<HealthReader.Draft> health,
        Optional<Map<String, String>> env, Optional<Boolean> unconfined) {

    static final ServiceDraft EMPTY = new ServiceDraft(Optional.empty(), List.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Map.of(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty());

    /** The names in {@code dependsOn}. */
    List<String> dependencyNames() {
        return dependsOn.stream().map(f -> ((YamlNode.Scalar) f.value()).text()).toList();
    }

    /** The {@code jvm.options} items of {@code defaults}, then the service's own. */
    List<Field> jvmOptions(ServiceDraft defaults) {
        return Stream.concat(defaults.jvmOptions.stream(), jvmOptions.stream()).toList();
    }

    /** The memory limit: the service's own, else that of {@code defaults}. */
    OptionalLong memoryLimit(ServiceDraft defaults) {
        return resources.or(() -> defaults.resources).map(Resources::memoryBytes).orElse(OptionalLong.empty());
    }

    /**
     * The service: its own values, else those of {@code defaults}, else those of {@link ServiceSpec};
     * {@code settings} and {@code env} merge, the service's own winning; {@code permissions},
     * {@code resources} and {@code restart} were merged key by key as they were read; {@code jvm.options} add up, the
     * service's after those of {@code defaults}; a container kind's options are the service's own,
     * else those of {@code defaults} (never merged key by key), then filled field by field from the
     * kind's entry of {@code hosts} ({@code hosts}, by options key); a {@code placement:} (the service's,
     * else that of {@code defaults} unless the service's own key places it) sets their placement
     * fields; {@code health} merges key by key ({@link HealthReader.Draft#merge}). Only called when
     * no problem was found.
     */
    ServiceSpec build(String name, ServiceDraft defaults, Map<String, ContainerOptions> hosts) {
        var allSettings = new LinkedHashMap<String, String>();
        defaults.settings.ifPresent(allSettings::putAll);
        settings.ifPresent(allSettings::putAll);
        var allEnv = new LinkedHashMap<String, String>();
        defaults.env.ifPresent(allEnv::putAll);
        env.ifPresent(allEnv::putAll);
        var allOptions = new LinkedHashMap<>(defaults.options);
        allOptions.putAll(options);
        String kind = container.or(() -> defaults.container).orElse(ServiceSpec.DEFAULT_CONTAINER);
        // the engine's entry under hosts fills what the service's options leave out
        Optional.ofNullable(hosts.get(kind)).ifPresent(host -> allOptions.merge(host.key(), host, ContainerOptions::orElse));
        boolean ownPlaced = placement.isPresent() || options.values().stream().anyMatch(ContainerOptions::placed);
        boolean defaultsPlace = !ownPlaced && defaults.container.orElse(ServiceSpec.DEFAULT_CONTAINER).equals(kind);
        placement.or(() -> defaultsPlace ? defaults.placement : Optional.empty()).ifPresent(placed ->
                allOptions.merge(placed.key(), placed, (given, where) -> where.orElse(given)));
        return new ServiceSpec(name, dependencyNames(), code.orElseThrow(), kind,
                allSettings,
                permissions.or(() -> defaults.permissions).orElse(Permissions.DEFAULT),
                resources.or(() -> defaults.resources).orElse(Resources.UNLIMITED),
                restart.or(() -> defaults.restart).filter(r -> r.policy() != RestartPolicy.Policy.NEVER)
                        .orElse(RestartPolicy.NEVER),
                startTimeout.or(() -> defaults.startTimeout).orElse(ServiceSpec.DEFAULT_START_TIMEOUT),
                closeTimeout.or(() -> defaults.closeTimeout).orElse(ServiceSpec.DEFAULT_CLOSE_TIMEOUT),
                allOptions,
                new JvmOptions(jvmOptions(defaults).stream().map(f -> ((YamlNode.Scalar) f.value()).text()).toList()),
                HealthReader.Draft.merge(health, defaults.health), allEnv,
                unconfined.or(() -> defaults.unconfined).orElse(false));
    }
}
