package io.servicescluster.core.manager;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One lifecycle decision of the manager, as written to the event log (SPEC §5). Immutable.
 *
 * @param seq the decision's place in the manager's order, strictly increasing from 1
 * @param time when it was decided
 * @param service the service it concerns
 * @param type what happened
 * @param details extra fields in order ({@code reason}, {@code exitCode}, {@code exception},
 *     {@code message}, {@code attempt}); values are strings or numbers
 */
public record ServiceEvent(long seq, Instant time, String service, Type type, Map<String, Object> details) {

    public ServiceEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(type, "type");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A detail as a string, or {@code null}-free empty string if absent. */
    public String detail(String key) {
        Object value = details.get(key);
        return value == null ? "" : value.toString();
    }

    /** The kinds of event; their names in the log are {@link #wireName()}. */
    public enum Type {
        CREATED, STARTING, RUNNING, CLOSING, CLOSED, DESTROYED,
        /** A start that threw, timed out, or could not launch (R12); has {@code reason}. */
        FAILED,
        /** The service died without an orderly close (R9); has {@code reason}, maybe {@code exitCode}. */
        CRASHED,
        /** An exception no code of the service caught; has {@code exception} and {@code message}. */
        EXCEPTION,
        /** A restart by policy; has {@code attempt}. */
        RESTARTING,
        /** A failing health check of a running service (R16); has {@code failures} (in a row) and {@code detail}. */
        UNHEALTHY;

        /** The name used in the event log: the lower-case constant name. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
