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
 * @param pids the most processes and threads it may have at once, if set (the process container
 *     applies a default without it: docs/sandbox.md)
 * @param diskBytes the most its work directory may hold, if any
 */
public record Resources(OptionalLong memoryBytes, OptionalDouble cpus, OptionalLong pids, OptionalLong diskBytes) {

    public static final Resources UNLIMITED = new Resources(OptionalLong.empty(), OptionalDouble.empty());

    /**
     * The process limit (processes and threads at once) of a service that sets none in
     * {@code resources.pids}: ample for a JVM (a few dozen threads) with a pool of a few hundred
     * threads, and far below what would hurt the host (issue 18; docs/sandbox.md).
     */
    public static final long DEFAULT_PIDS = 1024;

    /** Memory and CPU limits only. */
    public Resources(OptionalLong memoryBytes, OptionalDouble cpus) {
        this(memoryBytes, cpus, OptionalLong.empty(), OptionalLong.empty());
    }

    public boolean isLimited() {
        return memoryBytes.isPresent() || cpus.isPresent() || pids.isPresent() || diskBytes.isPresent();
    }

    /** The process limit: its own, else {@link #DEFAULT_PIDS}. */
    public long pidsOrDefault() {
        return pids.orElse(DEFAULT_PIDS);
    }

    /** The limits in words ({@code memory: 128m}, {@code cpus: 0.5}), for {@code svc check} and messages. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        memoryBytes.ifPresent(bytes -> out.add("memory: " + formatBytes(bytes)));
        cpus.ifPresent(c -> out.add("cpus: " + BigDecimal.valueOf(c).stripTrailingZeros().toPlainString()));
        pids.ifPresent(n -> out.add("pids: " + n));
        diskBytes.ifPresent(bytes -> out.add("disk: " + formatBytes(bytes)));
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
