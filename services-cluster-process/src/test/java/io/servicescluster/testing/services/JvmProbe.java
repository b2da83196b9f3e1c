package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Prints what its JVM was given: {@code maxHeap=BYTES}, {@code probe=VALUE} (the system property
 * {@code probe}), {@code gc=NAMES}, and {@code loader=NAME} (where its own class came from).
 */
public final class JvmProbe implements Service {

    @Override
    public void start(ServiceContext context) {
        System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
        System.out.println("probe=" + System.getProperty("probe"));
        System.out.println("gc=" + ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
        System.out.println("codeSource=" + JvmProbe.class.getProtectionDomain().getCodeSource().getLocation());
    }
}
