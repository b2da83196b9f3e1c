package io.servicescluster.dashboard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servicescluster.core.control.UntrustedText;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.EventLog;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the page streams, kept as it happens: the recent events (a bounded ring, so that a page
 * that reconnects resumes from the last {@code seq} it saw and loses nothing that is still in the
 * ring), each service's recent output lines, and each spawned child's parent (from its
 * {@code created} event). Readers wait on it for what comes after what they have.
 *
 * <p>Threading: the manager's listener thread writes, any number of stream threads read; one
 * lock guards it all (writes are a few field updates, reads copy what they return).
 */
final class EventFeed implements ClusterListener {

    /** What follows {@code since} in a stream: the entries, or a gap (older ones left the ring). */
    record Batch(List<Entry> entries, boolean gap) {
    }

    /** One event or output line: its id in its stream and its JSON. */
    record Entry(long id, String json) {
    }

    /**
     * The most of one text of a service (an output line, an event's message or reason) the page
     * is given: the rings hold thousands of entries, and a service may write 64 KiB lines.
     */
    static final int MAX_TEXT_BYTES = 4096;

    private final int eventCapacity;
    private final int linesPerService;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Entry> events = new ArrayDeque<>();
    private final Map<String, Deque<Entry>> lines = new HashMap<>();
    private final Map<String, String> parents = new HashMap<>();
    private long lastSeq;
    private long lastLine;
    private boolean closed;

    EventFeed(int eventCapacity, int linesPerService) {
        this.eventCapacity = eventCapacity;
        this.linesPerService = linesPerService;
    }

    @Override
    public void onEvent(ServiceEvent event) {
        String json = new String(EventLog.toJson(shortened(event)), StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (event.type() == ServiceEvent.Type.CREATED && event.details().get("parent") != null) {
                parents.put(event.service(), event.detail("parent"));
            }
            if (event.type() == ServiceEvent.Type.DESTROYED && parents.remove(event.service()) != null) {
                lines.remove(event.service()); // a child is gone for good; the next of that name is another
            }
            events.addLast(new Entry(event.seq(), json));
            if (events.size() > eventCapacity) {
                events.removeFirst();
            }
            lastSeq = event.seq();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onOutput(String service, OutputStream stream, String line) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("time", Instant.now().toString());
        node.put("stream", stream == OutputStream.STDERR ? "stderr" : "stdout");
        // a service's words: no terminal controls or bidirectional overrides on the page either
        node.put("line", UntrustedText.escape(UntrustedText.cut(line, MAX_TEXT_BYTES)));
        lock.lock();
        try {
            long id = ++lastLine;
            Deque<Entry> ring = lines.computeIfAbsent(service, s -> new ArrayDeque<>());
            ring.addLast(new Entry(id, node.put("id", id).toString()));
            if (ring.size() > linesPerService) {
                ring.removeFirst();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@code event} with each text of its details cut to {@link #MAX_TEXT_BYTES}. */
    private static ServiceEvent shortened(ServiceEvent event) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        event.details().forEach((key, value) -> details.put(key,
                value instanceof String text ? UntrustedText.cut(text, MAX_TEXT_BYTES) : value));
        return new ServiceEvent(event.seq(), event.time(), event.service(), event.type(), details);
    }

    /** The {@code seq} of the last event so far (0 before the first). */
    long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** The parent of a spawned child, if {@code service} is one. */
    Optional<String> parent(String service) {
        lock.lock();
        try {
            return Optional.ofNullable(parents.get(service));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The events after {@code since} (at most {@code max}), waiting up to {@code timeout} for the
     * first; empty when none came or the feed closed.
     */
    Batch eventsAfter(long since, int max, long timeoutMillis) throws InterruptedException {
        return after(() -> events, since, max, timeoutMillis);
    }

    /** As {@link #eventsAfter}, for the output lines of {@code service} (line ids are this feed's). */
    Batch linesAfter(String service, long since, int max, long timeoutMillis) throws InterruptedException {
        return after(() -> lines.getOrDefault(service, new ArrayDeque<>()), since, max, timeoutMillis);
    }

    private Batch after(java.util.function.Supplier<Deque<Entry>> ring, long since, int max, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (true) {
                Deque<Entry> entries = ring.get();
                if (!entries.isEmpty() && entries.peekLast().id() > since) {
                    List<Entry> found = new ArrayList<>();
                    var backwards = entries.descendingIterator();
                    while (backwards.hasNext()) {
                        Entry entry = backwards.next();
                        if (entry.id() <= since) {
                            break;
                        }
                        found.add(entry);
                    }
                    java.util.Collections.reverse(found);
                    // a reader that knew some entry (since > 0) but missed the ones that left the ring
                    boolean gap = since > 0 && found.getFirst().id() > since + 1 && found.size() == entries.size();
                    return new Batch(found.size() > max ? found.subList(0, max) : found, gap);
                }
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    return new Batch(List.of(), false);
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close} was called. */
    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Ends every wait: the streams end. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
