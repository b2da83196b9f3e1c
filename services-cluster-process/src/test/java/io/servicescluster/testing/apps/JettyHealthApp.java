package io.servicescluster.testing.apps;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * An ordinary Jetty 12 application, unaware of services-cluster: serves {@code /health} on
 * 127.0.0.1 at the port of its first argument, 200, or 503 while a file {@code sick} is in its
 * working directory. Its main returns once the server runs (Jetty's threads are not daemons), and
 * Jetty's own shutdown hook stops the server.
 */
public final class JettyHealthApp {

    private JettyHealthApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Server server = new Server(new InetSocketAddress("127.0.0.1", port));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                boolean sick = Files.exists(Path.of("sick"));
                response.setStatus(sick ? 503 : 200);
                Content.Sink.write(response, true, sick ? "sick" : "ok", callback);
                return true;
            }
        });
        server.setStopAtShutdown(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("jetty app: shutting down")));
        server.start();
        System.out.println("jetty app: serving on " + port);
    }
}
