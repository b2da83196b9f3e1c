package io.servicescluster.bench.data;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** Our server in the benchmark: echoes requests, counts events. */
public final class EchoService implements Service {

    private final AtomicLong events = new AtomicLong();

    @Override
    public void start(ServiceContext context) {
        context.onRequest("echo", body -> body);
        context.onRequest("count", body -> ByteBuffer.allocate(8).putLong(events.get()).array());
        context.onEvent("ev", (event, payload) -> events.incrementAndGet());
    }
}
