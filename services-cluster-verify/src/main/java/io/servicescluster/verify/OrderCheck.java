package io.servicescluster.verify;

import java.util.List;

/**
 * The ordering rules between a service and those it depends on: R4 (created after its
 * dependencies' containers), R5 (destroyed before them), R6 (starts only while they run; a
 * dependency that failed is R12), R7 (a dependency begins closing only once its dependents are
 * closed) and R8 (a child starts while its parent starts or runs; a parent begins closing only once
 * its children are closed and destroyed; a parent that crashed logs no {@code closing}, so its
 * children close after it, as R9 wants).
 */
final class OrderCheck implements Check {

    @Override
    public void before(LogEvent event, Replay replay, Findings findings) {
        String at = event.where() + " " + event.service() + " " + event.event();
        switch (event.event()) {
            case "created" -> created(event, replay, findings, at);
            case "starting" -> starting(event, replay, findings, at);
            case "closing" -> closing(event, replay, findings, at);
            case "destroyed" -> destroyed(event, replay, findings, at);
            default -> { }
        }
    }

    private static void created(LogEvent event, Replay replay, Findings findings, String at) {
        for (String name : replay.dependenciesOf(event)) {
            Track dependency = replay.track(name);
            if (!dependency.state.hasContainer()) {
                findings.add(Rule.R4, at + " before the container of its dependency " + name + " exists ("
                        + dependency.describe() + ")", event.seq(), dependency.stateSeq);
            }
        }
    }

    private static void starting(LogEvent event, Replay replay, Findings findings, String at) {
        Track track = replay.track(event.service());
        for (String name : track.dependencies) {
            Track dependency = replay.track(name);
            boolean parent = track.parent.filter(name::equals).isPresent();
            if (parent) {
                if (dependency.state != State.STARTING && dependency.state != State.RUNNING) {
                    findings.add(Rule.R8, at + " while its parent " + name + " is not running (" + dependency.describe()
                            + ")", event.seq(), dependency.stateSeq);
                }
            } else if (dependency.state != State.RUNNING) {
                if (dependency.failedSeq > 0) {
                    findings.add(Rule.R12, at + " while its dependency " + name + " failed (seq " + dependency.failedSeq
                            + ")", event.seq(), dependency.failedSeq);
                } else {
                    findings.add(Rule.R6, at + " while its dependency " + name + " is not running ("
                            + dependency.describe() + ")", event.seq(), dependency.stateSeq);
                }
            }
        }
    }

    private static void closing(LogEvent event, Replay replay, Findings findings, String at) {
        for (String name : replay.dependentsOf(event.service())) {
            Track dependent = replay.track(name);
            boolean child = dependent.parent.filter(event.service()::equals).isPresent();
            if (child && dependent.state.hasContainer()) {
                openUntil(findings, Rule.R8, at + " before its child " + name + " is closed and destroyed", event, dependent,
                        "destroyed");
            } else if (dependent.state.active()) {
                String now = dependent.state == State.ENDING ? dependent.stateEvent
                        : dependent.state.name().toLowerCase(java.util.Locale.ROOT);
                findings.addUntil(Rule.R7, at + " while its dependent " + name + " is " + now + " (" + name
                        + " starting at seq " + dependent.startSeq, List.of(event.seq(), dependent.startSeq), name, "closed");
            }
        }
    }

    private static void destroyed(LogEvent event, Replay replay, Findings findings, String at) {
        for (String name : replay.dependentsOf(event.service())) {
            Track dependent = replay.track(name);
            if (dependent.state.hasContainer()) {
                openUntil(findings, Rule.R5, at + " before its dependent " + name, event, dependent, "destroyed");
            }
        }
    }

    /** {@code … (api starting at seq 30, closed at seq 44)}, completed when the dependent gets there. */
    private static void openUntil(Findings findings, Rule rule, String text, LogEvent event, Track dependent, String awaited) {
        findings.addUntil(rule, text + " (" + dependent.describe(), List.of(event.seq(), dependent.stateSeq),
                dependent.name, awaited);
    }
}
