package io.servicescluster.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servicescluster.core.manager.ResourceStats;
import io.servicescluster.core.manager.ServiceStatus;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each service's resource samples over the last minutes (CPU %, heap, RSS), for the page's
 * charts: a page opened late, or reloaded, still draws the minutes before it. Fed with the
 * manager's status by the dashboard's sampler; one sample per service per distinct
 * {@link ResourceStats#at()}.
 */
final class StatsHistory {

    private final int capacity;
    private final Map<String, Deque<ResourceStats>> samples = new ConcurrentHashMap<>();

    StatsHistory(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Adds the stats of {@code statuses} that are newer than each service's last sample, and
     * forgets the services no longer among them (children come and go by names their parents
     * choose: kept forever, their samples would grow without bound).
     */
    void record(List<ServiceStatus> statuses) {
        samples.keySet().retainAll(statuses.stream().map(ServiceStatus::name).toList());
        for (ServiceStatus status : statuses) {
            status.stats().ifPresent(stats -> {
                Deque<ResourceStats> ring = samples.computeIfAbsent(status.name(), n -> new ArrayDeque<>());
                synchronized (ring) {
                    if (ring.isEmpty() || stats.at().isAfter(ring.peekLast().at())) {
                        ring.addLast(stats);
                        if (ring.size() > capacity) {
                            ring.removeFirst();
                        }
                    }
                }
            });
        }
    }

    /**
     * The samples of {@code service} as uPlot wants them, columns of equal length: {@code t}
     * (seconds since the epoch), {@code cpu} (%), {@code heap} and {@code rss} (bytes).
     */
    ObjectNode toJson(String service) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode t = node.putArray("t");
        ArrayNode cpu = node.putArray("cpu");
        ArrayNode heap = node.putArray("heap");
        ArrayNode rss = node.putArray("rss");
        Deque<ResourceStats> ring = samples.get(service);
        if (ring != null) {
            synchronized (ring) {
                for (ResourceStats s : ring) {
                    t.add(s.at().toEpochMilli() / 1000.0);
                    cpu.add(Math.round(s.cpuPercent() * 10) / 10.0);
                    heap.add(s.heapUsedBytes());
                    rss.add(s.rssBytes());
                }
            }
        }
        return node;
    }
}
