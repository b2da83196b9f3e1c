package io.servicescluster.verify;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of an event log (SPEC §5), with what the checker reads of it. Immutable.
 *
 * @param line the line of the file it came from, from 1; 0 for an event that came from no file
 * @param seq the manager's decision order
 * @param service the service it concerns
 * @param event the kind: {@code created}, {@code starting}, … as written; kinds the checker does not
 *     know are kept and ignored ("more event kinds may be added")
 * @param reason the {@code reason} detail, or empty
 * @param parent on a child's {@code created} (R8): the service that spawned it
 * @param dependsOn on {@code created}: the service's dependencies as the manager knew them
 */
public record LogEvent(int line, long seq, String service, String event, String reason, Optional<String> parent,
        Optional<List<String>> dependsOn) {

    public LogEvent {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(parent, "parent");
        dependsOn = dependsOn.map(List::copyOf);
    }

    /**
     * An event from the fields the manager logs, for callers that hold events rather than lines
     * (a simulation): {@code details} as the manager's event has them ({@code reason},
     * {@code parent}, {@code dependsOn} a collection of names; others are ignored).
     */
    public static LogEvent of(long seq, String service, String event, Map<String, ?> details) {
        Object reason = details.get("reason");
        Object parent = details.get("parent");
        Optional<List<String>> dependsOn = details.get("dependsOn") instanceof Collection<?> names
                ? Optional.of(names.stream().map(String::valueOf).toList()) : Optional.empty();
        return new LogEvent(0, seq, service, event, reason == null ? "" : reason.toString(),
                Optional.ofNullable(parent).map(Object::toString), dependsOn);
    }

    /** {@code seq N}, and its line when that is another number (a log out of order), for messages. */
    String where() {
        return line > 0 && line != seq ? "seq " + seq + " (line " + line + ")" : "seq " + seq;
    }
}
