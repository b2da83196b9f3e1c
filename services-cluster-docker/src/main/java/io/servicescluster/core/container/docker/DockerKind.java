package io.servicescluster.core.container.docker;

import io.servicescluster.core.config.ConfigValue;
import io.servicescluster.core.config.ContainerKind;
import io.servicescluster.core.config.ContainerOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code docker} kind as the cluster file knows it: its {@code docker:} key (docs/docker.md). */
public final class DockerKind implements ContainerKind {

    static final String NAME = "docker";
    private static final List<String> KEYS = List.of("image", "java");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> optionsKey() {
        return Optional.of(DockerOptions.KEY);
    }

    /** {@code docker: { image: IMAGE, java: PATH }}, both optional. */
    @Override
    public Optional<ContainerOptions> readOptions(ConfigValue value) {
        return value.map(KEYS).flatMap(keys -> {
            Optional<ConfigValue> image = Optional.ofNullable(keys.get("image"));
            Optional<ConfigValue> java = Optional.ofNullable(keys.get("java"));
            Optional<String> imageName = image.flatMap(v -> v.check(v.string(), s -> !s.isBlank(),
                    "an image name such as eclipse-temurin:21-jre"));
            Optional<String> launcher = java.flatMap(v -> v.check(v.string(), s -> s.startsWith("/")
                    || !s.contains("/"), "the java launcher inside the image: an absolute path, or a command on "
                    + "the image's PATH"));
            if (image.isPresent() != imageName.isPresent() || java.isPresent() != launcher.isPresent()) {
                return Optional.empty();
            }
            return Optional.of(new DockerOptions(imageName, launcher));
        });
    }
}
