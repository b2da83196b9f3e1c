package io.servicescluster.core.config;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Resource limits of one service.
 *
 * @param memoryBytes the memory limit in bytes, if any
 * @param cpus the CPU quota in cores (0.5 is half a core), if any
 */
public record Resources(OptionalLong memoryBytes, OptionalDouble cpus) {

    public static final Resources UNLIMITED = new Resources(OptionalLong.empty(), OptionalDouble.empty());

    public boolean isLimited() {
        return memoryBytes.isPresent() || cpus.isPresent();
    }
}
