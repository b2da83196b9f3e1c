package io.servicescluster.bench;

import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServiceEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Records when ({@link System#nanoTime}) each service first reached each event, and lets the
 * benchmark wait for a set of them. A {@code failed} event ends every wait with its reason.
 */
final class Timeline implements ClusterListener {

    private final Map<String, Long> first = new ConcurrentHashMap<>();
    private volatile String failure;

    @Override
    public void onEvent(ServiceEvent event) {
        long now = System.nanoTime();
        first.putIfAbsent(key(event.service(), event.type().wireName()), now);
        if (event.type() == ServiceEvent.Type.FAILED && failure == null) {
            failure = event.service() + " failed: " + event.detail("reason");
        }
        synchronized (this) {
            notifyAll();
        }
    }

    static String key(String service, String event) {
        return service + ":" + event;
    }

    /** When {@code service} first had {@code event}, or -1. */
    long at(String service, String event) {
        return first.getOrDefault(key(service, event), -1L);
    }

    /** Waits until every {@code service:event} key happened; returns the time of the last. */
    long awaitAll(Collection<String> keys, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            for (;;) {
                if (failure != null) {
                    throw new IllegalStateException(failure);
                }
                long last = 0;
                boolean all = true;
                for (String key : keys) {
                    Long at = first.get(key);
                    if (at == null) {
                        all = false;
                        break;
                    }
                    last = Math.max(last, at);
                }
                if (all) {
                    return last;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("not seen within " + timeout + ": " + keys + "; seen " + first.keySet());
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
