package io.servicescluster.verify;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * R9: when a service ends unasked ({@code crashed}, a start that {@code failed}, or a run that
 * {@code closed} of its own accord), each of its dependents active then, transitively, is stale:
 * it was connected to a process that is gone, and must close. The manager may close a stale
 * service after its dependency runs again (deepest first, and a stale one still starting closes
 * once it runs), so what the log can show is that nothing starts on top of a stale service (it
 * is about to close), and — when the caller knows the run had come to rest ({@link LogEnd#SETTLED})
 * — that no stale service is left. The order among the dependents is R7's.
 */
final class CrashCheck implements Check {

    /** The stale services, each with the end that made it so. */
    private final Map<String, LogEvent> stale = new HashMap<>();

    @Override
    public void before(LogEvent event, Replay replay, Findings findings) {
        Track track = replay.track(event.service());
        switch (event.event()) {
            case "crashed" -> markDependents(event, replay);
            case "failed" -> {
                if (track.state == State.STARTING) {
                    markDependents(event, replay); // a child may start while its parent starts (R8)
                }
            }
            case "closed" -> {
                if (track.state == State.RUNNING) {
                    markDependents(event, replay);
                }
                stale.remove(event.service());
            }
            case "starting" -> {
                for (String name : track.dependencies) {
                    LogEvent cause = stale.get(name);
                    if (cause != null) {
                        findings.add(Rule.R9, event.where() + " " + event.service() + " starting while its dependency " + name
                                + " must still close: " + cause.service() + " " + cause.event() + " at seq " + cause.seq(),
                                event.seq(), cause.seq());
                    }
                }
            }
            default -> { }
        }
    }

    private void markDependents(LogEvent end, Replay replay) {
        Deque<String> todo = new ArrayDeque<>(replay.dependentsOf(end.service()));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (replay.track(name).state.active() && stale.putIfAbsent(name, end) == null) {
                todo.addAll(replay.dependentsOf(name));
            }
        }
    }

    @Override
    public void atEnd(Replay replay, Findings findings, LogEnd end) {
        if (end == LogEnd.SETTLED) {
            stale.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> findings.add(Rule.R9,
                    e.getKey() + " has not closed since its dependency " + e.getValue().service() + " "
                            + e.getValue().event() + " at seq " + e.getValue().seq(), e.getValue().seq()));
        }
    }
}
