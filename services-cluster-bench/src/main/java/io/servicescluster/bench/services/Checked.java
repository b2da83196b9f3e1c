package io.servicescluster.bench.services;

import com.sun.net.httpserver.HttpServer;
import io.servicescluster.api.Health;
import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service with a health check the benchmark flips (R16): with setting {@code httpPort} it serves
 * {@code GET /health} on 127.0.0.1, 200 while the file {@code ready} exists in its work directory,
 * else 503; with {@code ownCheck=true} it registers the same test as its own check.
 */
public final class Checked implements Service {

    private HttpServer server;

    @Override
    public void start(ServiceContext context) throws Exception {
        Path ready = context.workDir().resolve("ready");
        String port = context.settings().get("httpPort");
        if (port != null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 16);
            server.createContext("/health", exchange -> {
                exchange.sendResponseHeaders(Files.exists(ready) ? 200 : 503, -1);
                exchange.close();
            });
            server.start();
        }
        if (Boolean.parseBoolean(context.settings().get("ownCheck"))) {
            context.health(() -> Files.exists(ready) ? Health.ok() : Health.failing("no ready file"));
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
