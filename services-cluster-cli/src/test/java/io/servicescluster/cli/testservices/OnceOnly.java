package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts once; every later start fails (it finds the mark of the first in its work directory). */
public final class OnceOnly implements Service {

    @Override
    public void start(ServiceContext context) throws Exception {
        Path mark = context.workDir().resolve("started");
        if (Files.exists(mark)) {
            throw new IllegalStateException("started once already");
        }
        Files.createFile(mark);
    }
}
