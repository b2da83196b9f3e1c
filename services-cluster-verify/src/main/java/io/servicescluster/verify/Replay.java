package io.servicescluster.verify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster as the log has told it so far: each service's state and the graph. The
 * {@link Check}s read it before each event; then {@link #apply} moves it on. A broken transition
 * is applied all the same (the log is the record of what happened), so one bad line does not
 * make every later one wrong.
 */
final class Replay {

    private final Map<String, Track> tracks = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();
    private final Optional<Map<String, List<String>>> fileGraph;

    Replay(Optional<Map<String, List<String>>> fileGraph) {
        this.fileGraph = fileGraph;
    }

    Track track(String service) {
        return tracks.computeIfAbsent(service, name -> {
            Track track = new Track(name);
            // before (or without) its created: the cluster file's edges are all there is
            track.dependencies = fileGraph.map(g -> g.getOrDefault(name, List.of())).orElse(List.of());
            track.dependencies.forEach(d -> dependentsOf(d).add(name));
            return track;
        });
    }

    /** The services that depend on {@code service} (its children included), in the order they appeared. */
    Set<String> dependentsOf(String service) {
        return dependents.computeIfAbsent(service, k -> new LinkedHashSet<>());
    }

    /**
     * What a {@code created} event makes the service depend on: the logged {@code dependsOn}, the
     * cluster file's edges when given (the checker obeys both; {@link GraphCheck} reports a
     * difference), and a child's parent (R8).
     */
    List<String> dependenciesOf(LogEvent created) {
        Set<String> all = new LinkedHashSet<>(created.dependsOn().orElse(List.of()));
        if (created.parent().isEmpty()) {
            fileGraph.ifPresent(g -> all.addAll(g.getOrDefault(created.service(), List.of())));
        }
        created.parent().ifPresent(all::add);
        return List.copyOf(all);
    }

    void apply(LogEvent event) {
        Track track = track(event.service());
        switch (event.event()) {
            case "created" -> {
                relink(track, dependenciesOf(event));
                track.parent = event.parent();
                track.createFailed = false;
                track.failedSeq = 0;
                track.moveTo(State.CREATED, event);
            }
            case "starting" -> {
                track.startSeq = event.seq();
                track.failedSeq = 0;
                track.moveTo(State.STARTING, event);
            }
            case "running" -> track.moveTo(State.RUNNING, event);
            case "closing" -> track.moveTo(State.CLOSING, event);
            case "closed" -> track.moveTo(State.CLOSED, event);
            case "crashed" -> track.moveTo(State.ENDING, event);
            case "failed" -> {
                track.failedSeq = event.seq();
                switch (track.state) {
                    case NONE, DESTROYED -> {
                        // the container could not be made: there is none, so nothing starts in it,
                        // no dependent is created on it (R4), and a restart may try to make it again
                        track.createFailed = true;
                    }
                    case CLOSED, CREATED -> { } // given up on restarting: it stays down
                    default -> track.moveTo(State.ENDING, event);
                }
            }
            case "destroyed" -> track.moveTo(State.DESTROYED, event);
            default -> { } // restarting, exception, unhealthy and kinds added later change no state
        }
    }

    private void relink(Track track, List<String> dependencies) {
        track.dependencies.forEach(d -> dependentsOf(d).remove(track.name));
        track.dependencies = dependencies;
        dependencies.forEach(d -> dependentsOf(d).add(track.name));
    }

    /** Every service met so far, the file's included. */
    Collection<Track> tracks() {
        return new ArrayList<>(tracks.values());
    }
}
