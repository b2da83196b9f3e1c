package io.servicescluster.verify;

import static io.servicescluster.verify.Logs.log;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each rule on hand-written logs shaped as the manager's DecisionLoop writes them: the legal
 * sequence passes, and a broken variant fails with that rule.
 */
class EventLogCheckerTest {

    /** db <- web <- api, all running. */
    private static final String[] UP = {
        "db created dependsOn=", "web created dependsOn=db", "api created dependsOn=web",
        "db starting", "db running", "web starting", "web running", "api starting", "api running"};

    /** The cluster stops: deepest first, then the containers. */
    private static final String[] DOWN = {
        "api closing reason=cluster_stopping", "api closed", "web closing reason=cluster_stopping", "web closed",
        "db closing reason=cluster_stopping", "db closed", "api destroyed", "web destroyed", "db destroyed"};

    private static String[] of(String[]... parts) {
        return Stream.of(parts).flatMap(Stream::of).toArray(String[]::new);
    }

    private static List<String> check(String... events) {
        return EventLogChecker.check(log(events), Optional.empty()).stream().map(Violation::toString).toList();
    }

    private static List<String> checkSettled(String... events) {
        return EventLogChecker.check(log(events), Optional.empty(), LogEnd.SETTLED).stream().map(Violation::toString).toList();
    }

    /** The rules of the violations found, in order. */
    private static List<Rule> rules(String... events) {
        return EventLogChecker.check(log(events), Optional.empty()).stream().map(Violation::rule).toList();
    }

    @Test
    void anOrderlyRunAndStopPasses() {
        assertThat(check(of(UP, DOWN))).isEmpty();
        assertThat(checkSettled(of(UP, DOWN))).isEmpty();
    }

    @Test
    void aLogCutAnywhereIsNoViolation() {
        String[] full = of(UP, DOWN);
        for (int end = 0; end <= full.length; end++) {
            assertThat(check(java.util.Arrays.copyOf(full, end))).as("the first %d events", end).isEmpty();
        }
    }

    // ---- R9, with a restart ------------------------------------------------------------------

    /** db crashes; web and api were connected to it: api closes, then web (R7), then all start again. */
    private static final String[] CRASH_AND_RECOVERY = {
        "db crashed reason=process_killed", "db closed", "db restarting",
        "api closing reason=dependency_db_crashed", "api closed", "web closing reason=dependency_db_crashed", "web closed",
        "db starting", "db running", "web starting", "web running", "api starting", "api running"};

    @Test
    void aCrashWithARestartAndItsDependentsRecycledPasses() {
        assertThat(check(of(UP, CRASH_AND_RECOVERY, DOWN))).isEmpty();
        assertThat(checkSettled(of(UP, CRASH_AND_RECOVERY))).isEmpty();
    }

    @Test
    void dependentsMayCloseAfterTheCrashedServiceRunsAgain() {
        // the manager closes a stale dependent in its turn, even once its dependency is back
        assertThat(check(of(UP, new String[] {"db crashed reason=x", "db closed", "db restarting", "db starting",
            "db running", "api closing reason=dependency_db_crashed", "api closed", "web closing", "web closed",
            "web starting", "web running", "api starting", "api running"}, DOWN))).isEmpty();
    }

    @Test
    void closingTheCrashedServicesDependentsShallowestFirstIsR7() {
        List<String> found = check(of(UP, new String[] {"db crashed reason=x", "db closed",
            "web closing", "api closing", "api closed", "web closed"}));
        assertThat(found).containsExactly("R7: seq 12 web closing while its dependent api is running "
                + "(api starting at seq 8, closed at seq 14)");
    }

    @Test
    void startingOnTopOfADependentThatMustStillCloseIsR9() {
        // api was not started when db crashed; web, still running against the dead db, is stale
        List<Rule> found = rules("db created dependsOn=", "web created dependsOn=db", "api created dependsOn=web",
                "db starting", "db running", "web starting", "web running",
                "db crashed reason=x", "db closed", "api starting");
        assertThat(found).containsExactly(Rule.R9);
    }

    @Test
    void aDependentLeftRunningAgainstTheDeadServiceIsR9OnceTheRunSettled() {
        String[] stale = of(UP, new String[] {"db crashed reason=x", "db closed", "db restarting", "db starting",
            "db running"});
        assertThat(check(stale)).isEmpty(); // the log may just stop there
        assertThat(checkSettled(stale)).containsExactly("R9: api has not closed since its dependency db crashed at seq 10",
                "R9: web has not closed since its dependency db crashed at seq 10");
    }

    @Test
    void aRunThatEndsOfItsOwnAccordRecyclesItsDependents() {
        String[] exited = of(UP, new String[] {"db closed reason=exited_of_its_own_accord",
            "api closing reason=dependency_db_exited", "api closed", "web closing", "web closed"});
        assertThat(checkSettled(exited)).isEmpty();
        assertThat(checkSettled(java.util.Arrays.copyOf(exited, exited.length - 4))).extracting(s -> s.substring(0, 3))
                .containsExactly("R9:", "R9:");
    }

    // ---- R8 -------------------------------------------------------------------------------

    private static final String[] PARENT_UP = {"p created dependsOn=", "p starting", "p running",
        "c created parent=p dependsOn=p", "c starting", "c running"};

    @Test
    void aChildSpawnedAndRetiredBeforeItsParentClosesPasses() {
        assertThat(check(of(PARENT_UP, new String[] {"c closing reason=cluster_stopping", "c closed", "c destroyed",
            "p closing reason=cluster_stopping", "p closed", "p destroyed"}))).isEmpty();
        // its name is free again once destroyed: a second child of that name
        assertThat(check(of(PARENT_UP, new String[] {"c closing", "c closed", "c destroyed",
            "c created parent=p dependsOn=p", "c starting", "c running"}))).isEmpty();
    }

    @Test
    void aParentThatCrashedHasItsChildrenCloseAfterIt() {
        assertThat(check(of(PARENT_UP, new String[] {"p crashed reason=x", "p closed",
            "c closing reason=dependency_p_crashed", "c closed", "c destroyed", "p destroyed"}))).isEmpty();
    }

    @Test
    void aParentClosingBeforeItsChildIsDestroyedIsR8() {
        assertThat(check(of(PARENT_UP, new String[] {"c closing", "c closed", "p closing", "c destroyed"})))
                .containsExactly("R8: seq 9 p closing before its child c is closed and destroyed "
                        + "(c closed at seq 8, destroyed at seq 10)");
    }

    @Test
    void aChildStartingWhileItsParentIsClosedIsR8() {
        assertThat(rules("p created dependsOn=", "p starting", "p running", "c created parent=p dependsOn=p",
                "p crashed reason=x", "p closed", "c starting")).containsExactly(Rule.R8);
    }

    @Test
    void aChildMayStartWhileItsParentIsStillStarting() {
        // SPEC R8: a parent may spawn from inside its own start
        assertThat(check("p created dependsOn=", "p starting", "c created parent=p dependsOn=p", "c starting",
                "c running", "p running")).isEmpty();
    }

    // ---- R13, R12, container failure -------------------------------------------------------

    @Test
    void aCloseKilledForItsTimeoutAfterClosingPasses() {
        assertThat(check("x created dependsOn=", "x starting", "x running", "x closing reason=cluster_stopping",
                "x closed reason=killed:_close_took_longer_than_1s", "x destroyed")).isEmpty();
    }

    @Test
    void aKilledCloseWithoutClosingIsR13() {
        assertThat(rules("x created dependsOn=", "x starting", "x running",
                "x closed reason=killed:_close_took_longer_than_1s")).containsExactly(Rule.R13);
    }

    private static final String[] DB_FAILS = {"db created dependsOn=", "web created dependsOn=db", "db starting",
        "db failed reason=start_timed_out_after_1s", "db closed"};

    @Test
    void aFailedStartWhoseDependentsStayDownPasses() {
        assertThat(check(of(DB_FAILS, new String[] {"web destroyed", "db destroyed"}))).isEmpty();
        // and a restart policy that gives up
        assertThat(check(of(DB_FAILS, new String[] {"db restarting", "db starting", "db failed reason=x", "db closed",
            "db failed reason=gave_up_after_1_restart", "web destroyed", "db destroyed"}))).isEmpty();
    }

    @Test
    void aDependentStartingAfterItsDependencyFailedIsR12() {
        assertThat(check(of(DB_FAILS, new String[] {"web starting"})))
                .containsExactly("R12: seq 6 web starting while its dependency db failed (seq 4)");
    }

    @Test
    void aContainerThatCouldNotBeMadeHasNothingStartedOnItAndMayBeMadeAgain() {
        // svc restart db after the image was pulled: the manager tries to make the container again
        assertThat(check("db failed reason=container:_no_image", "db created dependsOn=", "db starting", "db running",
                "web created dependsOn=db", "web destroyed", "db closing", "db closed", "db destroyed")).isEmpty();
        assertThat(rules("db failed reason=container:_no_image", "db starting")).containsExactly(Rule.LIFECYCLE);
        assertThat(rules("db failed reason=container:_no_image", "web created dependsOn=db")).containsExactly(Rule.R4);
        assertThat(rules("db failed reason=container:_no_image", "db destroyed")).containsExactly(Rule.LIFECYCLE);
    }

    // ---- R4 R5 R6 R7 R10: the broken orders -------------------------------------------------

    @Test
    void aDependentCreatedBeforeItsDependencyIsR4() {
        assertThat(check("web created dependsOn=db", "db created dependsOn="))
                .containsExactly("R4: seq 1 web created before the container of its dependency db exists "
                        + "(db never created)");
    }

    @Test
    void aDependencyDestroyedBeforeItsDependentIsR5() {
        String[] up = java.util.Arrays.copyOf(UP, 5);
        assertThat(rules(of(up, new String[] {"db closing", "db closed", "db destroyed", "web destroyed",
            "api destroyed"}))).containsExactly(Rule.R5, Rule.R5);
    }

    @Test
    void aDependentStartingBeforeItsDependencyRunsIsR6() {
        assertThat(check("db created dependsOn=", "web created dependsOn=db", "db starting", "web starting"))
                .containsExactly("R6: seq 4 web starting while its dependency db is not running "
                        + "(db starting at seq 3)");
    }

    @Test
    void aDependencyClosingWhileItsDependentRunsIsR7() {
        List<String> found = check(of(UP, new String[] {"web closing", "api closing", "api closed", "web closed"}));
        assertThat(found).containsExactly(
                "R7: seq 10 web closing while its dependent api is running (api starting at seq 8, closed at seq 12)");
        assertThat(check(of(UP, new String[] {"db closing"}))).containsExactly(
                "R7: seq 10 db closing while its dependent web is running (web starting at seq 6, not closed by the end of the log)");
    }

    @Test
    void aSecondStartBeforeTheFirstClosedAndASecondClosedAreR10() {
        assertThat(rules("x created dependsOn=", "x starting", "x running", "x starting")).containsExactly(Rule.R10);
        assertThat(rules("x created dependsOn=", "x starting", "x running", "x closing", "x closed", "x closed"))
                .containsExactly(Rule.R10);
        assertThat(rules("x created dependsOn=", "x closed")).containsExactly(Rule.R10);
        assertThat(rules("x created dependsOn=", "x starting", "x running", "x destroyed")).containsExactly(Rule.R10);
    }

    @Test
    void eventsOutOfTheirStatesAreLifecycleViolations() {
        assertThat(rules("x created dependsOn=", "x running")).containsExactly(Rule.LIFECYCLE);
        assertThat(rules("x created dependsOn=", "x restarting")).containsExactly(Rule.LIFECYCLE);
        assertThat(rules("x created dependsOn=", "x starting", "x crashed reason=x")).containsExactly(Rule.LIFECYCLE);
        assertThat(rules("x created dependsOn=", "x created dependsOn=")).containsExactly(Rule.LIFECYCLE);
    }

    @Test
    void unhealthyOnlyWhileRunningAndExceptionsAndNewKindsAnywhere() {
        assertThat(check("x created dependsOn=", "x starting", "x exception", "x running", "x unhealthy", "x frobbed",
                "x closing", "x closed", "x exception")).isEmpty();
        assertThat(rules("x created dependsOn=", "x starting", "x unhealthy")).containsExactly(Rule.R16);
    }

    // ---- seq ------------------------------------------------------------------------------

    @Test
    void aGapARepeatAndASwapInSeqAreFound() {
        List<LogEvent> gap = new ArrayList<>(log(UP));
        gap.remove(2);
        assertThat(EventLogChecker.check(gap, Optional.empty()).getFirst().toString())
                .isEqualTo("seq: seq 4 db starting comes after seq 2 (seq 3 is missing)");
        List<LogEvent> swapped = new ArrayList<>(log(UP));
        swapped.add(3, swapped.remove(4));
        assertThat(EventLogChecker.check(swapped, Optional.empty())).extracting(Violation::rule)
                .containsExactly(Rule.SEQ, Rule.LIFECYCLE, Rule.SEQ, Rule.R10, Rule.R6);
        List<LogEvent> repeated = new ArrayList<>(log("x created dependsOn="));
        repeated.add(Logs.event(1, "y created dependsOn="));
        assertThat(EventLogChecker.check(repeated, Optional.empty())).extracting(Violation::toString)
                .containsExactly("seq: seq 1 y created comes after seq 1 (a repeated seq)");
    }

    // ---- the cluster file's graph ---------------------------------------------------------

    @Test
    void theFilesGraphMustMatchTheLoggedOne() {
        Map<String, List<String>> file = Map.of("db", List.of(), "web", List.of("db"), "api", List.of("web"));
        assertThat(EventLogChecker.check(log(of(UP, DOWN)), Optional.of(file))).isEmpty();
        Map<String, List<String>> extraEdge = Map.of("db", List.of(), "web", List.of("db"), "api", List.of("web", "db"));
        assertThat(EventLogChecker.check(log(of(UP, DOWN)), Optional.of(extraEdge))).extracting(Violation::toString)
                .containsExactly("graph: seq 3 api created depending on [web] but the cluster file says [db, web]");
        Map<String, List<String>> noApi = Map.of("db", List.of(), "web", List.of("db"));
        assertThat(EventLogChecker.check(log(of(UP, DOWN)), Optional.of(noApi))).extracting(Violation::rule)
                .containsExactly(Rule.GRAPH);
    }

    @Test
    void aLogWithoutDependsOnIsCheckedAgainstTheFilesEdges() {
        String[] old = {"db created", "web created", "web starting"};
        assertThat(check(old)).isEmpty(); // the log alone cannot tell
        assertThat(EventLogChecker.check(log(old), Optional.of(Map.of("db", List.of(), "web", List.of("db")))))
                .extracting(Violation::rule).containsExactly(Rule.R6);
    }

    // ---- speed ----------------------------------------------------------------------------

    @Test
    void aLongLogIsCheckedInLinearTime() {
        // a chain of 40 services, crashed and recycled 2,000 times: about 500,000 events
        List<String> events = new ArrayList<>();
        int n = 40;
        for (int i = 0; i < n; i++) {
            events.add("s" + i + " created dependsOn=" + (i == 0 ? "" : "s" + (i - 1)));
        }
        for (int round = 0; round < 2_000; round++) {
            for (int i = 0; i < n; i++) {
                events.add("s" + i + " starting");
                events.add("s" + i + " running");
            }
            events.add("s0 crashed reason=x");
            events.add("s0 closed");
            for (int i = n - 1; i > 0; i--) {
                events.add("s" + i + " closing");
                events.add("s" + i + " closed");
            }
        }
        List<LogEvent> log = log(events.toArray(String[]::new));
        long start = System.nanoTime();
        assertThat(EventLogChecker.check(log, Optional.empty(), LogEnd.SETTLED)).isEmpty();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("checked %d events in %d ms%n", log.size(), millis);
        assertThat(millis).isLessThan(5_000);
    }
}
