package io.servicescluster.clusterfile;

import io.servicescluster.core.config.ConfigValue;
import io.servicescluster.core.config.ContainerKind;
import io.servicescluster.core.config.ContainerOptions;
import io.servicescluster.core.config.ServiceSpec;
import java.util.List;
import java.util.Optional;

/**
 * The container kinds the core's tests find with {@link java.util.ServiceLoader} (listed in the
 * test resources): the real kinds live in sibling modules, which the core does not depend on.
 */
final class TestKinds {

    private TestKinds() {
    }

    /** A stand-in of the {@code process} kind, the default: no options of its own. */
    public static final class Process implements ContainerKind {
        @Override
        public String name() {
            return ServiceSpec.DEFAULT_CONTAINER;
        }
    }

    /** {@code boxed}: options under the key {@code box}, {@code { image: NAME, slots: N }}. */
    public static final class Boxed implements ContainerKind {
        @Override
        public String name() {
            return "boxed";
        }

        @Override
        public Optional<String> optionsKey() {
            return Optional.of(Box.KEY);
        }

        @Override
        public Optional<ContainerOptions> readOptions(ConfigValue value) {
            return value.map(List.of("image", "slots")).flatMap(keys -> {
                Optional<String> image = Optional.ofNullable(keys.get("image")).flatMap(ConfigValue::string);
                Optional<Integer> slots = Optional.ofNullable(keys.get("slots"))
                        .flatMap(v -> v.check(v.integer(), n -> n > 0, "must be more than 0"));
                if (keys.containsKey("image") != image.isPresent() || keys.containsKey("slots") != slots.isPresent()) {
                    return Optional.empty();
                }
                return Optional.of(new Box(image, slots));
            });
        }
    }

    /** The options of {@code boxed}. */
    record Box(Optional<String> image, Optional<Integer> slots) implements ContainerOptions {
        static final String KEY = "box";

        @Override
        public String key() {
            return KEY;
        }
    }
}
