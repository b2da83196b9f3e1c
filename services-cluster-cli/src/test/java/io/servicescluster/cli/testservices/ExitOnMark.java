package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs until a file {@code exit} appears in its work directory, then exits with status 7: a crash while running. */
public final class ExitOnMark implements Service {

    @Override
    public void start(ServiceContext context) {
        Path mark = context.workDir().resolve("exit");
        Thread watcher = new Thread(() -> {
            while (!Files.exists(mark)) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.exit(7);
        }, "exit-on-mark");
        watcher.setDaemon(true);
        watcher.start();
    }
}
