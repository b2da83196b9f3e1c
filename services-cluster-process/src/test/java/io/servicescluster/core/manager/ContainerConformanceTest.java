package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.ContainerUnderTest;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.verify.EventLogChecker;
import io.servicescluster.verify.EventLogReader;
import io.servicescluster.verify.LogEnd;
import io.servicescluster.verify.LogEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle rules (R4–R13) that every container kind must keep, run against one kind: a
 * concrete subclass per kind names it ({@link #container()}). The same services, the same
 * assertions; only how a remote is seen and killed from outside differs
 * ({@link ContainerUnderTest}).
 *
 * <p>Every run writes its event log, and each test ends by judging it with the checker of
 * {@code svc verify} ({@link EventLogChecker}: seq, the lifecycle, the order rules R4–R9, R12,
 * R13, against the cluster's graph); the tests themselves assert what the log cannot show.
 */
public abstract class ContainerConformanceTest {

    /** Generous for a container engine; a process start takes a fraction of it. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int LINES = 200;

    @TempDir
    protected Path state;

    /** The container kind under test. */
    protected abstract ContainerUnderTest container();

    // ---- helpers -------------------------------------------------------------------------

    protected ServiceSpec.Builder idle(String name) {
        return container().adapt(TestClusters.idle(name));
    }

    protected ServiceSpec.Builder configurable(String name) {
        return container().adapt(TestClusters.configurable(name));
    }

    protected ServiceSpec.Builder startCounter(String name) {
        return container().adapt(TestClusters.startCounter(name));
    }

    /** A manager of {@code cluster} on the kind under test, writing the event log {@link #eventLog()}. */
    protected ServicesManager.Builder manager(ClusterSpec cluster) {
        return container().register(ServicesManager.builder(cluster).stateDir(state).eventLog(eventLog()));
    }

    /** The event log of the last manager made (each one truncates it). */
    protected Path eventLog() {
        return state.resolve("events.jsonl");
    }

    /**
     * The last run's event log, its manager closed, keeps every rule the checker of
     * {@code svc verify} knows, with the graph of {@code cluster}; the run has come to rest, so
     * every dependent of a crashed service has closed (R9).
     */
    protected void assertLogKeepsTheRules(ClusterSpec cluster) throws Exception {
        EventLogReader.ParsedLog log = EventLogReader.read(eventLog());
        assertThat(log.findings()).as("unreadable lines of the event log").isEmpty();
        assertThat(log.events()).as("events logged").isNotEmpty();
        Map<String, List<String>> graph = new LinkedHashMap<>();
        cluster.services().forEach(s -> graph.put(s.name(), s.dependsOn()));
        assertThat(EventLogChecker.check(log.events(), Optional.of(graph), LogEnd.SETTLED))
                .as("rules broken in the event log of %d events", log.events().size()).isEmpty();
    }

    /** The service ran in its work directory and, where it sees host pids, is that remote. */
    private void assertPidFile(String service, long pid) {
        if (container().servicesSeeHostPids()) {
            assertThat(container().hostPidFile(state, service)).as("pid file of %s", service).hasValue(pid);
        } else {
            assertThat(container().workDir(state, service).resolve("pid")).as("pid file of %s", service).exists();
        }
    }

    private void awaitGone(long pid) {
        Awaitility.await("remote " + pid + " ends").atMost(ServiceProcesses.GONE_WITHIN)
                .until(() -> !container().alive(pid));
    }

    private void awaitNoRemotes(String... services) {
        Awaitility.await("no remote of " + List.of(services)).atMost(ServiceProcesses.GONE_WITHIN)
                .until(() -> container().liveRemotes(services).isEmpty());
    }

    // ---- R4–R7: order ------------------------------------------------------------------

    /** R4–R7 on a diamond: api -> (orders, stock) -> db, plus an independent service. */
    @Test
    public void createsStartsClosesAndDestroysInDependencyOrder() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("diamond")
                .service(idle("db"))
                .service(idle("orders").dependsOn("db"))
                .service(idle("stock").dependsOn("db"))
                .service(idle("api").dependsOn("orders", "stock"))
                .service(idle("lonely"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(manager.status()).allSatisfy(s -> {
                assertThat(s.state()).isEqualTo(ServiceState.RUNNING);
                assertThat(s.container()).isEqualTo(container().kind());
            });
        }
        // R4–R7 on every edge, seq strictly increasing from 1
        assertLogKeepsTheRules(cluster);
        // R6: services with no path between them start in parallel: lonely and db both start
        // before either is running
        assertThat(events.seqOf("lonely", Type.STARTING)).isLessThan(events.seqOf("db", Type.RUNNING));
        assertThat(events.seqOf("db", Type.STARTING)).isLessThan(events.seqOf("lonely", Type.RUNNING));
        // the event log has the listeners' history, line by line, each line led by its seq and time
        List<LogEvent> logged = EventLogReader.read(eventLog()).events();
        assertThat(logged).extracting(LogEvent::seq)
                .containsExactlyElementsOf(events.events().stream().map(ServiceEvent::seq).toList());
        assertThat(logged).extracting(e -> e.service() + ":" + e.event()).containsExactlyElementsOf(events.history());
        assertThat(Files.readAllLines(eventLog())).allSatisfy(line -> assertThat(line).matches("\\{\"seq\":\\d+,\"time\":\".*"));
        assertThat(container().liveRemotes("db", "orders", "stock", "api", "lonely")).isEmpty();
    }

    // ---- R9: crashes -------------------------------------------------------------------

    @Test
    public void killedRemoteIsCrashedAndItsDependentsCloseDeepestFirst() throws Exception {
        // c -> a -> b, and lonely with no path to b
        ClusterSpec cluster = ClusterSpec.builder("chain")
                .service(idle("b"))
                .service(idle("a").dependsOn("b"))
                .service(idle("c").dependsOn("a"))
                .service(idle("lonely"))
                .build();
        RecordingListener events = new RecordingListener();
        Map<String, Long> pids = new LinkedHashMap<>();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            for (String name : List.of("a", "b", "c", "lonely")) {
                long pid = manager.status(name).pid().orElseThrow();
                assertPidFile(name, pid);
                pids.put(name, pid);
            }

            container().killRemote(pids.get("b"));

            ServiceEvent crashed = events.await("b", Type.CRASHED, TIMEOUT);
            assertThat(crashed.detail("reason")).contains("SIGKILL");
            assertThat(crashed.details()).containsEntry("exitCode", 137);
            events.await("a", Type.CLOSED, TIMEOUT);
            // R9: the crash closes its dependents (deepest first, c before a: R7, judged in the log below)
            assertThat(events.seqOf("b", Type.CRASHED)).isLessThan(events.seqOf("c", Type.CLOSING));
            for (String dependent : List.of("a", "c")) {
                assertThat(events.historyOf(dependent)).endsWith("running", "closing", "closed");
                assertThat(events.first(dependent, Type.CLOSED).orElseThrow().details()).doesNotContainKey("error");
                assertThat(manager.status(dependent).state()).isEqualTo(ServiceState.CLOSED);
                awaitGone(pids.get(dependent));
            }
            assertThat(manager.status("b").state()).isEqualTo(ServiceState.CLOSED);
            assertThat(manager.status("b").problem()).hasValueSatisfying(p -> assertThat(p).contains("SIGKILL"));
            assertThat(manager.status("b").pid()).isEmpty();
            // no path to b: untouched, same remote
            assertThat(events.historyOf("lonely")).containsExactly("created", "starting", "running");
            assertThat(manager.status("lonely").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("lonely").pid()).hasValue(pids.get("lonely"));
            assertThat(container().alive(pids.get("lonely"))).isTrue();
            // nobody is restarted
            assertThat(events.history()).containsOnlyOnce("a:starting", "b:starting", "c:starting");
        }
        assertThat(events.historyOf("lonely")).endsWith("closing", "closed", "destroyed");
        pids.forEach((name, pid) -> assertThat(container().alive(pid)).as("remote of %s", name).isFalse());
        assertThat(container().liveRemotes("a", "b", "c", "lonely")).isEmpty();
        assertLogKeepsTheRules(cluster);
    }

    @Test
    public void crashClosesDependentsButNotTheCrashedServicesDependencies() throws Exception {
        // c -> a -> b; a crashes: c closes, b keeps running in the same remote
        ClusterSpec cluster = ClusterSpec.builder("middle")
                .service(idle("b"))
                .service(idle("a").dependsOn("b"))
                .service(idle("c").dependsOn("a"))
                .build();
        RecordingListener events = new RecordingListener();
        long bPid;
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            bPid = manager.status("b").pid().orElseThrow();
            container().killRemote(manager.status("a").pid().orElseThrow());

            events.await("a", Type.CRASHED, TIMEOUT);
            events.await("c", Type.CLOSED, TIMEOUT);
            assertThat(events.seqOf("a", Type.CRASHED)).isLessThan(events.seqOf("c", Type.CLOSING));
            assertThat(events.historyOf("b")).containsExactly("created", "starting", "running");
            assertThat(manager.status("b").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("b").pid()).hasValue(bPid);
        }
        assertThat(container().alive(bPid)).isFalse();
        assertThat(container().liveRemotes("a", "b", "c")).isEmpty();
        assertLogKeepsTheRules(cluster);
    }

    @Test
    public void serviceThatHaltsItselfIsCrashedWithItsExitCode() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("halting")
                .service(configurable("halts").setting("crashAfterMillis", "500").setting("exitCode", "42"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            ServiceEvent crashed = events.await("halts", Type.CRASHED, TIMEOUT);
            assertThat(crashed.details()).containsEntry("exitCode", 42);
            assertThat(crashed.detail("reason")).contains("exited with code 42");
            assertThat(events.historyOf("halts")).containsExactly("created", "starting", "running", "crashed", "closed");
            assertThat(manager.status("halts").problem()).hasValueSatisfying(p -> assertThat(p).contains("42"));
            assertThat(container().liveRemotes("halts")).isEmpty();
        }
        assertLogKeepsTheRules(cluster);
    }

    @Test
    public void whenIdleCompletesOnceEveryServiceCrashedOrFailedAndCloseLeavesNoRemote() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("doomed")
                .service(configurable("halts").setting("crashAfterMillis", "500").setting("exitCode", "3"))
                .service(configurable("broken").setting("failStart", "cannot start"))
                .service(idle("after-broken").dependsOn("broken"))
                .service(idle("after-halts").dependsOn("halts"))
                .build();
        RecordingListener events = new RecordingListener();
        ServicesManager manager = manager(cluster).listener(events).build();
        try (manager) {
            manager.start();
            manager.whenIdle().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(events.first("halts", Type.CRASHED)).isPresent();
            assertThat(events.first("broken", Type.FAILED)).isPresent();
            assertThat(manager.status()).allSatisfy(s -> assertThat(s.state().isActive()).as(s.name()).isFalse());
        }
        assertThat(manager.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(ServiceState.DESTROYED));
        assertThat(container().liveRemotes("halts", "broken", "after-broken", "after-halts")).isEmpty();
        assertLogKeepsTheRules(cluster); // after-broken never started (R12)
    }

    // ---- R10: a fresh remote per start -------------------------------------------------

    @Test
    public void eachStartHasAFreshRemoteAndTheWorkDirPersists() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("fresh").service(startCounter("counter")).build();

        RecordingListener first = new RecordingListener();
        long firstPid = runOnce(cluster, first);
        assertLogKeepsTheRules(cluster);
        assertThat(container().alive(firstPid)).as("the first remote after close").isFalse();
        assertThat(first.lines("counter", OutputStream.STDOUT)).contains("start 1");
        Path workDir = container().workDir(state, "counter");
        assertThat(Files.readString(workDir.resolve("starts"))).isEqualTo("1");

        RecordingListener second = new RecordingListener();
        long secondPid = runOnce(cluster, second);
        assertLogKeepsTheRules(cluster);
        assertThat(secondPid).isNotEqualTo(firstPid);
        assertThat(container().alive(secondPid)).as("the second remote after close").isFalse();
        // the same work directory, with what the first run left in it
        assertThat(second.lines("counter", OutputStream.STDOUT)).contains("start 2");
        assertThat(Files.readString(workDir.resolve("starts"))).isEqualTo("2");
        assertThat(container().liveRemotes("counter")).isEmpty();
    }

    /** Runs the cluster until the counter is running, closes it, and returns the remote's pid. */
    private long runOnce(ClusterSpec cluster, RecordingListener events) throws Exception {
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long pid = manager.status("counter").pid().orElseThrow();
            assertPidFile("counter", pid);
            assertThat(container().alive(pid)).isTrue();
            assertThat(manager.status("counter").starts()).isEqualTo(1);
            Awaitility.await().atMost(TIMEOUT).until(() -> !events.lines("counter", OutputStream.STDOUT).isEmpty());
            return pid;
        }
    }

    // ---- R12: start failures -----------------------------------------------------------

    @Test
    public void startThatThrowsFailsWithItsMessageAndItsDependentsNeverStart() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("broken-start")
                .service(configurable("broken").setting("failStart", "no database here"))
                .service(idle("user").dependsOn("broken"))
                .service(idle("deep").dependsOn("user"))
                .service(idle("fine"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT))
                    .isInstanceOf(ServiceFailureException.class)
                    .hasMessageContaining("broken")
                    .hasMessageContaining("no database here");

            ServiceEvent failed = events.first("broken", Type.FAILED).orElseThrow();
            assertThat(failed.detail("reason")).contains("IllegalStateException").contains("no database here");
            assertThat(events.historyOf("broken")).containsExactly("created", "starting", "failed", "closed");
            assertThat(manager.status("broken").problem()).hasValueSatisfying(p -> assertThat(p).contains("no database here"));
            assertThat(manager.status("user").starts()).isZero();
            assertThat(manager.status("deep").starts()).isZero();
            assertThat(manager.status("fine").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(container().workDir(state, "broken").resolve("pid")).exists();
            awaitNoRemotes("broken");
        }
        assertThat(container().liveRemotes("broken", "user", "deep", "fine")).isEmpty();
        assertLogKeepsTheRules(cluster); // user and deep never started (R12, R6)
    }

    @Test
    public void startTimeoutFailsTheServiceAndKillsItsRemote() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("slow-start")
                .service(configurable("slow").setting("startMillis", "10000").startTimeout(Duration.ofMillis(500)))
                .service(idle("user").dependsOn("slow"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            ServiceEvent failed = events.await("slow", Type.FAILED, TIMEOUT);
            assertThat(failed.detail("reason")).contains("start timed out after 500ms");
            ServiceEvent starting = events.first("slow", Type.STARTING).orElseThrow();
            assertThat(Duration.between(starting.time(), failed.time())).isLessThan(Duration.ofSeconds(5));
            // the remote is killed, not left sleeping in start
            awaitNoRemotes("slow");
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT)).isInstanceOf(ServiceFailureException.class)
                    .hasMessageContaining("slow");
            assertThat(events.historyOf("slow")).doesNotContain("running");
        }
        assertLogKeepsTheRules(cluster); // user never started (R12)
    }

    @Test
    public void compileErrorOfASourceServiceNamesTheSourceAndLine() throws Exception {
        String source = """
                import io.servicescluster.api.*;

                public class Broken implements Service {
                    public void start(ServiceContext context) {
                        int port = "not a number";
                    }
                }
                """;
        ClusterSpec cluster = ClusterSpec.builder("bad-source")
                .service(container().adapt(ServiceSpec.builder("compiled")
                        .code(new CodeSpec.SourceCode(source, "Broken.java"))))
                .service(idle("user").dependsOn("compiled"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.whenStartupSettled().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ServiceEvent failed = events.first("compiled", Type.FAILED).orElseThrow();
            assertThat(failed.detail("reason"))
                    .contains("Broken.java:5: error:")
                    .contains("incompatible types")
                    .contains("int port = \"not a number\";");
        }
        assertThat(container().liveRemotes("compiled", "user")).isEmpty();
        assertLogKeepsTheRules(cluster); // user never started (R12)
    }

    @Test
    public void missingClassFailsNamingTheClass() throws Exception {
        String missing = "io.servicescluster.testing.services.NoSuchService";
        ClusterSpec cluster = ClusterSpec.builder("missing-class")
                .service(container().adapt(ServiceSpec.builder("ghost")
                        .code(CodeSpec.ofClass(missing, TestClusters.testClasses()))))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT)).isInstanceOf(ServiceFailureException.class)
                    .hasMessageContaining("ghost")
                    .hasMessageContaining(missing);
            assertThat(events.first("ghost", Type.FAILED).orElseThrow().detail("reason"))
                    .contains(missing).contains("not found");
        }
        assertThat(container().liveRemotes("ghost")).isEmpty();
        assertLogKeepsTheRules(cluster);
    }

    // ---- R13: close timeout ------------------------------------------------------------

    @Test
    public void slowCloseIsKilledAndItsDependencyStillClosesAfterIt() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("slow-close")
                .service(idle("db"))
                .service(configurable("slow").dependsOn("db").setting("closeMillis", "20000")
                        .closeTimeout(Duration.ofMillis(300)))
                .build();
        RecordingListener events = new RecordingListener();
        long slowPid;
        long dbPid;
        long closeNanos;
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            slowPid = manager.status("slow").pid().orElseThrow();
            dbPid = manager.status("db").pid().orElseThrow();
            long begin = System.nanoTime();
            manager.close();
            closeNanos = System.nanoTime() - begin;
        }
        assertThat(Duration.ofNanos(closeNanos)).as("close waited for the slow close").isLessThan(Duration.ofSeconds(10));
        ServiceEvent closed = events.first("slow", Type.CLOSED).orElseThrow();
        assertThat(closed.detail("reason")).contains("close took longer than 300ms");
        ServiceEvent closing = events.first("slow", Type.CLOSING).orElseThrow();
        assertThat(Duration.between(closing.time(), closed.time())).isLessThan(Duration.ofSeconds(5));
        assertThat(events.historyOf("slow")).containsExactly("created", "starting", "running", "closing", "closed",
                "destroyed");
        // R13 + R7: the killed service counts as closed, and only then does its dependency close
        assertLogKeepsTheRules(cluster);
        assertThat(events.historyOf("db")).containsExactly("created", "starting", "running", "closing", "closed",
                "destroyed");
        assertThat(events.first("db", Type.CLOSED).orElseThrow().details()).isEmpty();
        // a killed remote on another engine (a pod) may take a moment more to be reaped than one
        // that closed: seconds, against a close that would have run 20 s
        Awaitility.await("the slow service's remote killed").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50)).until(() -> !container().alive(slowPid));
        assertThat(container().alive(dbPid)).as("the dependency's remote").isFalse();
    }

    // ---- monitoring ----------------------------------------------------------------------

    /** What the manager sees of a running service: output, uncaught exceptions, pid and resource use. */
    @Test
    public void outputExceptionsPidAndStatsReachTheManager() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("watched")
                .service(configurable("chatty").setting("print", Integer.toString(LINES))
                        .setting("uncaught", "lost the thread"))
                .build();
        RecordingListener events = new RecordingListener();
        long pid;
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);

            // pid: present while running, the service's own remote
            pid = manager.status("chatty").pid().orElseThrow();
            assertPidFile("chatty", pid);
            assertThat(container().alive(pid)).isTrue();
            assertThat(container().liveRemotes("chatty")).containsExactly(pid);

            // output: every line of each stream, in the order written
            List<String> out = IntStream.rangeClosed(1, LINES).mapToObj(i -> "out " + i).toList();
            List<String> err = IntStream.rangeClosed(1, LINES).mapToObj(i -> "err " + i).toList();
            Awaitility.await().atMost(TIMEOUT).until(() -> events.lines("chatty", OutputStream.STDOUT).size() >= LINES
                    && events.lines("chatty", OutputStream.STDERR).size() >= LINES);
            assertThat(events.lines("chatty", OutputStream.STDOUT)).containsExactlyElementsOf(out);
            assertThat(events.lines("chatty", OutputStream.STDERR)).containsExactlyElementsOf(err);

            // an uncaught exception: an event with class and message, and a report with its stack trace
            ServiceEvent exception = events.await("chatty", Type.EXCEPTION, TIMEOUT);
            assertThat(exception.detail("exception")).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(exception.detail("message")).isEqualTo("lost the thread");
            List<ExceptionReport> reports = manager.status("chatty").exceptions();
            assertThat(reports).singleElement().satisfies(report -> {
                assertThat(report.className()).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(report.message()).isEqualTo("lost the thread");
                assertThat(report.thread()).isEqualTo("worker-1");
                assertThat(report.stackTrace())
                        .contains("java.lang.IllegalArgumentException: lost the thread")
                        .contains("at io.servicescluster.testing.services.Configurable");
            });
            // the exception did not end the service
            assertThat(manager.status("chatty").state()).isEqualTo(ServiceState.RUNNING);

            // resource use: sampled about once a second
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> manager.status("chatty").stats().isPresent());
            ResourceStats stats = manager.status("chatty").stats().orElseThrow();
            assertThat(stats.cpuTimeNanos()).isPositive();
            assertThat(stats.heapUsedBytes()).isPositive();
            assertThat(stats.heapMaxBytes()).isGreaterThanOrEqualTo(stats.heapUsedBytes());
            assertThat(stats.rssBytes()).isPositive();
            assertThat(stats.cpuPercent()).isNotNegative();
        }
        // the exception is thrown on a thread that start() begins, so it may be reported before
        // or after `running`; it always falls between `starting` and `closing`
        List<String> history = events.historyOf("chatty");
        assertThat(history.stream().filter(e -> !e.equals("exception")))
                .containsExactly("created", "starting", "running", "closing", "closed", "destroyed");
        assertThat(history.indexOf("exception")).isBetween(history.indexOf("starting") + 1, history.indexOf("closing") - 1);
        assertThat(container().alive(pid)).isFalse();
        assertLogKeepsTheRules(cluster);
    }

    @Test
    public void pidAndStatsAreClearedOnceTheServiceStops() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("cleared")
                .service(configurable("short-lived").setting("crashAfterMillis", "1500").setting("exitCode", "1"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long pid = manager.status("short-lived").pid().orElseThrow();
            events.await("short-lived", Type.CRASHED, TIMEOUT);
            ServiceStatus status = manager.status("short-lived");
            assertThat(status.state()).isEqualTo(ServiceState.CLOSED);
            assertThat(status.pid()).isEmpty();
            assertThat(status.stats()).isEmpty();
            assertThat(status.runningSince()).isEmpty();
            awaitGone(pid);
        }
        assertLogKeepsTheRules(cluster);
    }
}
