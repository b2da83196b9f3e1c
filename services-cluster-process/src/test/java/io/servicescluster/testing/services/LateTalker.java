package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Leaves a thread printing as fast as it can after its close returned, as a service whose
 * threads outlive {@code close()} does. A shutdown hook writes {@code exited} straight to the
 * process's file descriptor 2, after anything the runtime itself says there on its way out.
 */
public final class LateTalker implements Service {

    @Override
    public void start(ServiceContext context) {
        Thread talker = new Thread(() -> {
            for (long i = 1; ; i++) {
                System.out.println("late " + i);
            }
        }, "talker");
        talker.setDaemon(true);
        talker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new FileOutputStream(FileDescriptor.err).write("exited\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // nobody to tell
            }
        }));
    }

    @Override
    public void close() {
        System.out.println("closing");
    }
}
