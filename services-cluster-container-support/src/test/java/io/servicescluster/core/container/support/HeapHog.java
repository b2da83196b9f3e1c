package io.servicescluster.core.container.support;

import java.util.ArrayList;
import java.util.List;

/** A JVM that runs out of heap: launched by {@link OutputTailTest} with the remote runtime's flags. */
public final class HeapHog {

    private HeapHog() {
    }

    public static void main(String[] args) {
        List<long[]> kept = new ArrayList<>();
        while (true) {
            kept.add(new long[1 << 20]);
        }
    }
}
