package io.servicescluster.testing;

import org.awaitility.Awaitility;

import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event and output line of a cluster, for assertions on the exact history. */
public final class RecordingListener implements ClusterListener {

    private final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ServiceEvent event) {
        events.add(event);
    }

    @Override
    public void onOutput(String service, OutputStream stream, String line) {
        output.add(service + " " + stream + " " + line);
    }

    public List<ServiceEvent> events() {
        return List.copyOf(events);
    }

    /** Output lines as {@code service STREAM line}. */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** {@code service:event} for each event, in order: easy to read in a failed assertion. */
    public List<String> history() {
        List<String> history = new ArrayList<>();
        events.forEach(e -> history.add(e.service() + ":" + e.type().wireName()));
        return history;
    }

    /** The first event of that type for that service. */
    public Optional<ServiceEvent> first(String service, Type type) {
        return events.stream().filter(e -> e.service().equals(service) && e.type() == type).findFirst();
    }

    /** The seq of the first such event; fails if there is none. */
    public long seqOf(String service, Type type) {
        return first(service, type).orElseThrow(() -> new AssertionError("no " + type + " for " + service + " in "
                + history())).seq();
    }

    /** Waits until that event has happened. */
    public ServiceEvent await(String service, Type type, Duration timeout) {
        Awaitility.await().atMost(timeout).until(() -> first(service, type).isPresent());
        return first(service, type).orElseThrow();
    }

    /** The lines {@code service} wrote to {@code stream}, in the order received. */
    public List<String> lines(String service, OutputStream stream) {
        String prefix = service + " " + stream + " ";
        return output.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    /** Every event of {@code service}, as {@code event} names, in order. */
    public List<String> historyOf(String service) {
        return events.stream().filter(e -> e.service().equals(service)).map(e -> e.type().wireName()).toList();
    }
}
