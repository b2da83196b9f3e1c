package io.servicescluster.verify;

import java.util.List;
import java.util.Optional;

/** One service's replayed state; mutable, confined to one {@link EventLogChecker} run. */
final class Track {

    final String name;
    State state = State.NONE;
    /** The event that put it in {@link #state}, and its seq. */
    String stateEvent = "";
    long stateSeq;
    /** Its dependencies as of its last {@code created} (its parent included, R8). */
    List<String> dependencies = List.of();
    Optional<String> parent = Optional.empty();
    /** Its container could not be made: {@code failed} came instead of {@code created}. */
    boolean createFailed;
    /** The seq of its last {@code starting}, and of its last {@code failed} (0: none since that start). */
    long startSeq;
    long failedSeq;

    Track(String name) {
        this.name = name;
    }

    /** {@code api running at seq 33}: for messages. */
    String describe() {
        return state == State.NONE ? name + " never created" : name + " " + stateEvent + " at seq " + stateSeq;
    }

    void moveTo(State next, LogEvent event) {
        state = next;
        stateEvent = event.event();
        stateSeq = event.seq();
    }
}
