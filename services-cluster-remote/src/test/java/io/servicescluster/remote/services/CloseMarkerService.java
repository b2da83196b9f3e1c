package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;

/** Records in its work directory that close was called (to observe a close after a lost connection). */
public class CloseMarkerService implements Service {

    private Path workDir;

    @Override
    public void start(ServiceContext context) {
        workDir = context.workDir();
    }

    @Override
    public void close() throws Exception {
        Files.writeString(workDir.resolve("closed.txt"), "closed");
    }
}
