package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service told to keep its data somewhere, as users configure real software: it writes the
 * file {@code data.txt} into the folder of the setting {@code dataDir} (made if missing) and
 * logs a failure's stack trace to stderr, as a logging framework would, then runs on; with
 * {@code failStart=true} it throws the failure from {@code start} instead. It also writes a file
 * into its {@code java.io.tmpdir} and prints {@code scratch: TMPDIR | java.io.tmpdir | result}.
 */
public final class DataKeeper implements Service {

    @Override
    public void start(ServiceContext context) throws IOException {
        String tmpdir = System.getProperty("java.io.tmpdir");
        String scratch;
        try {
            scratch = "ok " + Files.writeString(Files.createTempFile("scratch", ".txt"), "scratch");
        } catch (IOException e) {
            scratch = "failed " + e;
        }
        System.out.println("scratch: " + System.getenv("TMPDIR") + " | " + tmpdir + " | " + scratch);
        Path dataDir = Path.of(context.settings().get("dataDir"));
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve("data.txt"), "precious");
            System.out.println("data kept in " + dataDir);
        } catch (IOException e) {
            if (Boolean.parseBoolean(context.settings().get("failStart"))) {
                throw e;
            }
            e.printStackTrace();
        }
    }

    @Override
    public void close() {
    }
}
