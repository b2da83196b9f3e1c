package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;

/** Prints its settings, writes a file in its work directory, and prints a partial line on close. */
public class EchoService implements Service {

    private ServiceContext context;

    @Override
    public void start(ServiceContext context) throws Exception {
        this.context = context;
        System.out.println("echo: " + context.settings().get("greeting") + " from " + context.name());
        System.err.println("echo: to stderr");
        System.out.print("line one\r\nline two\n");
        Files.writeString(context.workDir().resolve("started.txt"), "started");
        String loader = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader() ? "service" : "other";
        System.out.println("context loader: " + loader);
    }

    @Override
    public void close() throws Exception {
        System.out.println("bye");
        System.out.print("partial without newline");
        Files.writeString(context.workDir().resolve("closed.txt"), "closed");
    }
}
