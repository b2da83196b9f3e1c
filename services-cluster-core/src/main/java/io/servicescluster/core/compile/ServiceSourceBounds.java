package io.servicescluster.core.compile;

import java.time.Duration;
import java.util.Objects;

/**
 * What a source sent by a service may cost the manager: a child's ({@code ChildSpec.ofSource},
 * R8), which a possibly hostile service chose. Such a source is refused above {@code
 * maxSourceBytes} (UTF-8) before anything else, and compiled by a {@link ConfinedCompiler}: a
 * JVM of its own with at most {@code heapBytes} of heap, killed after {@code timeout}, at most
 * {@code concurrent} at once. Sources of the cluster file and of the Java API are the user's own
 * and keep the manager's warm compiler. Immutable.
 */
public record ServiceSourceBounds(long maxSourceBytes, Duration timeout, long heapBytes, int concurrent) {

    /** 1 MiB of source, 30 s, 256 MiB of heap, 2 at once: far beyond any child source written by hand. */
    public static final ServiceSourceBounds DEFAULT =
            new ServiceSourceBounds(1024 * 1024, Duration.ofSeconds(30), 256L * 1024 * 1024, 2);

    public ServiceSourceBounds {
        Objects.requireNonNull(timeout, "timeout");
        if (maxSourceBytes <= 0 || timeout.isNegative() || timeout.isZero() || heapBytes < 16L * 1024 * 1024
                || concurrent < 1) {
            throw new IllegalArgumentException("invalid bounds of a service's source: " + maxSourceBytes + " bytes, "
                    + timeout + ", heap " + heapBytes + ", " + concurrent + " at once");
        }
    }

    /** A copy that allows {@code bytes} of source. */
    public ServiceSourceBounds withMaxSourceBytes(long bytes) {
        return new ServiceSourceBounds(bytes, timeout, heapBytes, concurrent);
    }

    /** A copy whose compilations are abandoned after {@code limit}. */
    public ServiceSourceBounds withTimeout(Duration limit) {
        return new ServiceSourceBounds(maxSourceBytes, limit, heapBytes, concurrent);
    }
}
