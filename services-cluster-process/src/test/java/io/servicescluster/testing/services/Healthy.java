package io.servicescluster.testing.services;

import com.sun.net.httpserver.HttpServer;
import io.servicescluster.api.Health;
import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A service whose health a test steers with files in its work directory (R16).
 *
 * <p>Settings: {@code ownCheck=true} registers a check that passes once the file {@code ready}
 * exists; {@code httpPort=N} serves {@code GET /health} on 127.0.0.1:N, 200 while {@code ready}
 * exists, else 503. Creating {@code jam} makes a worker thread take the lock that the own check
 * needs and keep it: the service is alive, its heartbeats flow, but it is hung — only its own check
 * can tell.
 */
public final class Healthy implements Service {

    private final ReentrantLock state = new ReentrantLock();
    private HttpServer server;

    @Override
    public void start(ServiceContext context) throws Exception {
        Path ready = context.workDir().resolve("ready");
        Path jam = context.workDir().resolve("jam");
        String port = context.settings().get("httpPort");
        if (port != null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 16);
            server.createContext("/health", exchange -> {
                int status = Files.exists(ready) ? 200 : 503;
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }
        if (Boolean.parseBoolean(context.settings().get("ownCheck"))) {
            context.health(() -> {
                state.lock(); // blocks for ever once jammed: the check times out
                try {
                    return Files.exists(ready) ? Health.ok() : Health.failing("no " + ready.getFileName() + " yet");
                } finally {
                    state.unlock();
                }
            });
        }
        Thread worker = new Thread(() -> {
            while (!Files.exists(jam)) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            state.lock(); // and never unlocked: a deadlock in all but name
            System.out.println("jammed");
        }, "worker");
        worker.setDaemon(true);
        worker.start();
        System.out.println("started");
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
