package io.servicescluster.verify;

import java.util.EnumSet;
import java.util.Set;

/**
 * Each service's events follow its states, exactly as the manager emits them: {@code created}
 * → {@code starting} → {@code running} →
 * {@code closing} → {@code closed}; a start ends in {@code failed} then {@code closed}; a run in
 * {@code crashed} then {@code closed}, or in {@code closed} alone (it exited of its own accord);
 * then {@code restarting} or a give-up {@code failed}, another {@code starting}, or
 * {@code destroyed}. R10: each {@code starting} ends with exactly one {@code closed} before the
 * next, or before the container is destroyed. R13: a close killed for its timeout followed a {@code closing}. R16: {@code unhealthy}
 * only while running. A container that could not be made logs {@code failed} instead of
 * {@code created}: there is no container, so nothing starts and nothing is destroyed until a
 * later {@code created}. {@code exception} is legal at any time: the manager logs it when the
 * service's report arrives, which may be after the process was seen to end.
 */
final class LifecycleCheck implements Check {

    private static final Set<State> IDLE = EnumSet.of(State.CREATED, State.CLOSED);

    @Override
    public void before(LogEvent event, Replay replay, Findings findings) {
        Track track = replay.track(event.service());
        State state = track.state;
        String at = event.where() + " " + event.service() + " " + event.event();
        switch (event.event()) {
            case "created" -> expect(state == State.NONE || state == State.DESTROYED, event, findings, at, track, "while its container exists");
            case "starting" -> {
                if (state.active()) {
                    findings.add(Rule.R10, at + " before its start at seq " + track.startSeq + " closed (" + track.describe()
                            + ")", event.seq(), track.startSeq);
                } else if (track.createFailed && (state == State.NONE || state == State.DESTROYED)) {
                    findings.add(Rule.LIFECYCLE, at + " though its container could not be made (seq " + track.stateSeq + ")",
                            event.seq(), track.stateSeq);
                } else {
                    expect(IDLE.contains(state), event, findings, at, track, "without a container");
                }
            }
            case "running" -> expect(state == State.STARTING, event, findings, at, track, "without a starting");
            case "closing" -> expect(state == State.RUNNING, event, findings, at, track, "while not running");
            case "closed" -> closed(event, track, findings, at);
            case "failed" -> expect(state == State.NONE || state == State.DESTROYED || state == State.STARTING
                    || state == State.CLOSED, event, findings, at, track, "outside a start (a run ends in crashed)");
            case "crashed" -> expect(state == State.RUNNING || state == State.CLOSING, event, findings, at, track,
                    state == State.STARTING ? "while starting (a start ends in failed)" : "while not running");
            case "restarting" -> expect(state == State.CLOSED, event, findings, at, track, "without a closed run");
            case "destroyed" -> {
                if (state.active()) {
                    findings.add(Rule.R10, at + " before its start at seq " + track.startSeq + " closed ("
                            + track.describe() + ")", event.seq(), track.startSeq);
                } else {
                    expect(state == State.CREATED || state == State.CLOSED, event, findings, at, track, "without a container");
                }
            }
            case "unhealthy" -> {
                if (state != State.RUNNING) {
                    findings.add(Rule.R16, at + " while not running (" + track.describe() + ")", event.seq(), track.stateSeq);
                }
            }
            default -> { } // exception, and kinds added later
        }
    }

    private static void closed(LogEvent event, Track track, Findings findings, String at) {
        State state = track.state;
        if (event.reason().startsWith("killed:") && state != State.CLOSING) {
            findings.add(Rule.R13, at + " killed without a closing before it (" + track.describe() + ")",
                    event.seq(), track.stateSeq);
        } else if (state == State.CLOSED) {
            findings.add(Rule.R10, at + " again: its start at seq " + track.startSeq + " already closed at seq "
                    + track.stateSeq, event.seq(), track.stateSeq);
        } else if (!state.active()) {
            findings.add(Rule.R10, at + " without a start (" + track.describe() + ")", event.seq());
        } else if (state == State.STARTING) {
            findings.add(Rule.LIFECYCLE, at + " while starting: a start ends in running or failed (" + track.describe()
                    + ")", event.seq(), track.stateSeq);
        }
    }

    private static void expect(boolean legal, LogEvent event, Findings findings, String at, Track track, String what) {
        if (!legal) {
            findings.add(Rule.LIFECYCLE, at + " " + what + " (" + track.describe() + ")", event.seq(), track.stateSeq);
        }
    }
}
