package io.servicescluster.core.container.swarm;

import java.util.Objects;
import java.util.Optional;

/**
 * The manager-wide defaults of the swarm kind, for what a service's {@code swarm:} key leaves out
 * (docs/multi-host.md). A system property of the same meaning wins over the variable.
 *
 * @param engine {@code SVC_SWARM_ENGINE} ({@code servicescluster.swarm.engine}), else {@code DOCKER_HOST},
 *     else {@code unix:///var/run/docker.sock}: a swarm manager node's Engine API
 * @param advertise {@code SVC_SWARM_ADVERTISE} ({@code servicescluster.swarm.advertise}): the
 *     manager's address as the nodes reach it; no default (a guess would be a loopback address)
 * @param image {@code SVC_SWARM_IMAGE} ({@code servicescluster.swarm.image}), else {@code eclipse-temurin:21-jre}
 * @param java {@code SVC_SWARM_JAVA} ({@code servicescluster.swarm.java}), else {@code java}
 */
public record SwarmSettings(String engine, Optional<String> advertise, String image, String java) {

    public SwarmSettings {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(advertise, "advertise");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(java, "java");
    }

    /** From the environment. */
    public static SwarmSettings fromEnvironment() {
        String engine = setting("servicescluster.swarm.engine", "SVC_SWARM_ENGINE")
                .or(() -> Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(s -> !s.isBlank()))
                .orElse("unix:///var/run/docker.sock");
        return new SwarmSettings(engine, setting("servicescluster.swarm.advertise", "SVC_SWARM_ADVERTISE"),
                setting("servicescluster.swarm.image", "SVC_SWARM_IMAGE").orElse("eclipse-temurin:21-jre"),
                setting("servicescluster.swarm.java", "SVC_SWARM_JAVA").orElse("java"));
    }

    /** The engine the environment names itself ({@code SVC_SWARM_ENGINE} or its property), if it does: not the fallbacks. */
    static Optional<String> explicitEngine() {
        return setting("servicescluster.swarm.engine", "SVC_SWARM_ENGINE");
    }

    /** What {@code service}'s options leave out, from these settings. */
    SwarmOptions complete(SwarmOptions options) {
        return new SwarmOptions(Optional.of(options.engine().orElse(engine)), options.tls(), options.advertise().or(() -> advertise),
                Optional.of(options.image().orElse(image)), Optional.of(options.java().orElse(java)), options.node(),
                options.constraints());
    }

    private static Optional<String> setting(String property, String variable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
