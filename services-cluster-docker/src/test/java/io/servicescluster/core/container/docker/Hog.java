package io.servicescluster.core.container.docker;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * A test service that eats memory once started: Java heap ({@code hog: heap}, until the JVM's
 * own out-of-memory exit) or native memory ({@code hog: native}, until the kernel's OOM killer
 * ends the container at its memory limit).
 */
public final class Hog implements Service {

    private static final List<Object> KEPT = new ArrayList<>();

    @Override
    public void start(ServiceContext context) {
        String kind = context.settings().getOrDefault("hog", "heap");
        Thread.ofPlatform().daemon().name("hog").start(() -> {
            try {
                Thread.sleep(300);
                if (kind.equals("native")) {
                    hogNative();
                } else {
                    while (true) {
                        KEPT.add(new byte[1 << 20]);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @SuppressWarnings("removal")
    private static void hogNative() throws Exception {
        Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) field.get(null);
        while (true) {
            long size = 16L << 20;
            long address = unsafe.allocateMemory(size);
            unsafe.setMemory(address, size, (byte) 1); // touch every page
        }
    }
}
