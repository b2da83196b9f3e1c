package io.servicescluster.bench.data;

import io.servicescluster.api.RequestHandler;
import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Our server in the benchmark: echoes requests, counts events. Its setting {@code dispatch} says
 * where the echo runs: {@code direct} on the thread that read the request ({@code onRequestDirect},
 * as gRPC's bench runs its handler on the event loop), else on a thread of its own ({@code onRequest}).
 */
public final class EchoService implements Service {

    private final AtomicLong events = new AtomicLong();

    @Override
    public void start(ServiceContext context) {
        RequestHandler echo = body -> body;
        if ("direct".equals(context.settings().get("dispatch"))) {
            context.onRequestDirect("echo", echo);
        } else {
            context.onRequest("echo", echo);
        }
        context.onRequest("count", body -> ByteBuffer.allocate(8).putLong(events.get()).array());
        context.onEvent("ev", (event, payload) -> events.incrementAndGet());
    }
}
