package io.servicescluster.core.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
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

    /** The limits in words ({@code memory: 128m}, {@code cpus: 0.5}), for {@code svc check} and messages. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        memoryBytes.ifPresent(bytes -> out.add("memory: " + formatBytes(bytes)));
        cpus.ifPresent(c -> out.add("cpus: " + BigDecimal.valueOf(c).stripTrailingZeros().toPlainString()));
        return out;
    }

    /** {@code 1g}, {@code 128m}, {@code 512k}, or the number of bytes: the largest unit that divides it. */
    public static String formatBytes(long bytes) {
        String[] units = {"g", "m", "k"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % (1L << shifts[i]) == 0) {
                return (bytes >> shifts[i]) + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
