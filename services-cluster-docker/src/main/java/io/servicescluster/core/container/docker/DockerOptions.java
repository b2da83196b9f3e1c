package io.servicescluster.core.container.docker;

import io.servicescluster.core.config.ContainerOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code docker} key of a service (docs/docker.md): how a {@code container: docker} service's
 * container is made, read by {@link DockerKind}. Other container kinds ignore it.
 *
 * @param image the image to run, e.g. {@code eclipse-temurin:21-jre}; empty: the manager's default
 *     ({@code SVC_DOCKER_IMAGE})
 * @param java the {@code java} launcher inside the image; empty: the manager's default
 *     ({@code SVC_DOCKER_JAVA}, else {@code java} on the image's {@code PATH})
 */
public record DockerOptions(Optional<String> image, Optional<String> java) implements ContainerOptions {

    /** The service key of these options. */
    public static final String KEY = "docker";

    /** Nothing chosen: the manager's defaults. */
    public static final DockerOptions DEFAULT = new DockerOptions(Optional.empty(), Optional.empty());

    public DockerOptions {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(java, "java");
    }

    @Override
    public String key() {
        return KEY;
    }

    /** These options with {@code image}. */
    public DockerOptions withImage(String image) {
        return new DockerOptions(Optional.of(image), java);
    }

    /** These options with {@code java} as the launcher inside the image. */
    public DockerOptions withJava(String java) {
        return new DockerOptions(image, Optional.of(java));
    }
}
