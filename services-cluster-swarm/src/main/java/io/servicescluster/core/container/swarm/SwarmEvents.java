package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The swarm manager engine's event stream, one per engine, handed to the remote of each swarm
 * service by its id: a service {@code remove} (by this manager, by {@code svc clean} or by an
 * operator), and a task container's {@code die} with its exit code when the task ran on the
 * manager's own node. (Docker 20.10 sends no events for task states, and a node's container
 * events stay on that node: measured on the test bed. A task elsewhere is followed through its
 * control connection, whose end the manager notices at once, or at the heartbeat timeout.) The
 * stream is filtered by type, and handed out by service id here: a label filter would drop the
 * service events, which carry no labels (measured with Docker 20.10).
 */
final class SwarmEvents implements Closeable {

    static final String SERVICE_ID = "com.docker.swarm.service.id";
    private static final Logger log = LoggerFactory.getLogger(SwarmEvents.class);

    private final DockerClient docker;
    private final Map<String, Consumer<Event>> byService = new ConcurrentHashMap<>();
    private volatile Closeable stream;
    private volatile boolean closed;

    SwarmEvents(DockerClient docker) {
        this.docker = docker;
        follow();
    }

    /** Hands {@code serviceId}'s events to {@code listener} until {@link #forget}. */
    void watch(String serviceId, Consumer<Event> listener) {
        byService.put(serviceId, listener);
    }

    void forget(String serviceId) {
        byService.remove(serviceId);
    }

    private void follow() {
        stream = docker.eventsCmd().withEventTypeFilter("service", "container")
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        dispatch(event);
                    }

                    @Override
                    public void onError(Throwable e) {
                        if (!closed) {
                            log.warn("the swarm engine's event stream failed ({}); following it again in 1 s", e.toString());
                            Thread.ofVirtual().name("swarm-events").start(() -> {
                                try {
                                    Thread.sleep(1000); // an engine that is down must not make this spin
                                } catch (InterruptedException stop) {
                                    return;
                                }
                                if (!closed) {
                                    follow();
                                }
                            });
                        }
                    }
                });
    }

    private void dispatch(Event event) {
        if (event.getActor() == null) {
            return;
        }
        String service = "container".equals(eventType(event)) && event.getActor().getAttributes() != null
                ? event.getActor().getAttributes().get(SERVICE_ID) : event.getActor().getId();
        Consumer<Event> listener = service == null ? null : byService.get(service);
        if (listener != null) {
            listener.accept(event);
        }
    }

    static String eventType(Event event) {
        return event.getType() == null ? "" : event.getType().getValue();
    }

    @Override
    public void close() {
        closed = true;
        Closeable open = stream;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
