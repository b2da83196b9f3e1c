package io.servicescluster.core.container.docker;

import java.util.Locale;
import java.util.Objects;

/**
 * The manager-wide choices of the docker container kind (docs/docker.md). Which engine to talk
 * to is docker-java's own configuration ({@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY},
 * {@code DOCKER_CERT_PATH}, {@code ~/.docker-java.properties}), read by {@link DockerEngine}.
 *
 * @param defaultImage the image of a service that names none ({@code docker: { image: … }})
 * @param defaultJava the {@code java} launcher inside that image: an absolute path, or a command
 *     on the image's {@code PATH}
 * @param hostJdk whether to run the manager's own JDK in the container, bind-mounted read-only
 *     together with the host's {@code /usr} and {@code /lib…} (for images that hold no JDK, such
 *     as an empty image made with {@code docker import}); the image's own {@code java} is then
 *     ignored
 */
public record DockerSettings(String defaultImage, String defaultJava, boolean hostJdk) {

    /** The image used when neither the service nor {@code SVC_DOCKER_IMAGE} names one. */
    public static final String DEFAULT_IMAGE = "eclipse-temurin:21-jre";
    /** The launcher used when neither the service nor {@code SVC_DOCKER_JAVA} names one. */
    public static final String DEFAULT_JAVA = "java";

    public DockerSettings {
        Objects.requireNonNull(defaultImage, "defaultImage");
        Objects.requireNonNull(defaultJava, "defaultJava");
    }

    /**
     * From the environment (a system property of the same meaning wins): {@code SVC_DOCKER_IMAGE}
     * ({@code servicescluster.docker.image}), {@code SVC_DOCKER_JAVA}
     * ({@code servicescluster.docker.java}), {@code SVC_DOCKER_HOST_JDK=true}
     * ({@code servicescluster.docker.hostJdk}).
     */
    public static DockerSettings fromEnvironment() {
        String image = setting("servicescluster.docker.image", "SVC_DOCKER_IMAGE", DEFAULT_IMAGE);
        String java = setting("servicescluster.docker.java", "SVC_DOCKER_JAVA", DEFAULT_JAVA);
        boolean hostJdk = Boolean.parseBoolean(setting("servicescluster.docker.hostJdk", "SVC_DOCKER_HOST_JDK", "false")
                .toLowerCase(Locale.ROOT));
        return new DockerSettings(image, java, hostJdk);
    }

    /** Settings that run the manager's own JDK in {@code image} (which need not contain one). */
    public static DockerSettings withHostJdk(String image) {
        return new DockerSettings(image, DEFAULT_JAVA, true);
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
