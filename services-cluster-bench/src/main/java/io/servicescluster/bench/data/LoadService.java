package io.servicescluster.bench.data;

import io.servicescluster.api.Peer;
import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** Our client in the benchmark: runs the {@link LoadDriver} against its dependency {@code echo}, prints results. */
public final class LoadService implements Service {

    @Override
    public void start(ServiceContext context) {
        Peer echo = context.peer("echo");
        Transport transport = new Transport() {
            @Override
            public CompletableFuture<byte[]> request(byte[] body) {
                return echo.request("echo", body);
            }

            @Override
            public void event(byte[] payload) {
                echo.send("ev", payload);
            }

            @Override
            public long eventsReceived() {
                return ByteBuffer.wrap(echo.request("count", new byte[0]).join()).getLong();
            }
        };
        Thread thread = new Thread(() -> {
            try {
                LoadDriver driver = new LoadDriver(transport, System.out::println);
                if ("latency".equals(context.settings().get("rows"))) {
                    driver.runLatency();
                } else {
                    driver.runAll();
                }
                System.out.println("done");
            } catch (Exception e) {
                e.printStackTrace();
                System.out.println("failed " + e);
            }
        }, "load");
        thread.setDaemon(true);
        thread.start();
    }
}
