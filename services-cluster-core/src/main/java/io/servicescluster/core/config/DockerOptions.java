package io.servicescluster.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code docker} key of a service (docs/docker.md): how a {@code container: docker} service's
 * container is made. Other container kinds ignore it.
 *
 * @param image the image to run, e.g. {@code eclipse-temurin:21-jre}; empty: the manager's default
 *     ({@code SVC_DOCKER_IMAGE})
 * @param java the {@code java} launcher inside the image; empty: the manager's default
 *     ({@code SVC_DOCKER_JAVA}, else {@code java} on the image's {@code PATH})
 */
public record DockerOptions(Optional<String> image, Optional<String> java) {

    /** Nothing chosen: the manager's defaults. */
    public static final DockerOptions DEFAULT = new DockerOptions(Optional.empty(), Optional.empty());

    public DockerOptions {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(java, "java");
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
