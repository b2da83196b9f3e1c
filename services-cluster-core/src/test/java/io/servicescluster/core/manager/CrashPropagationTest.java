package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R9: a crash closes the crashed service's dependents, deepest first, and nothing else. */
class CrashPropagationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path state;

    @Test
    void killedProcessIsCrashedAndItsDependentsCloseDeepestFirst() throws Exception {
        // c -> a -> b, and lonely with no path to b
        ClusterSpec cluster = ClusterSpec.builder("chain")
                .service(idle("b"))
                .service(idle("a").dependsOn("b"))
                .service(idle("c").dependsOn("a"))
                .service(idle("lonely"))
                .build();
        RecordingListener events = new RecordingListener();
        Map<String, Long> pids = new LinkedHashMap<>();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            for (String name : List.of("a", "b", "c", "lonely")) {
                long pid = manager.status(name).pid().orElseThrow();
                assertThat(ServiceProcesses.pidFile(state, name)).as("pid file of %s", name).hasValue(pid);
                pids.put(name, pid);
            }

            ProcessHandle.of(pids.get("b")).orElseThrow().destroyForcibly();

            ServiceEvent crashed = events.await("b", Type.CRASHED, TIMEOUT);
            assertThat(crashed.detail("reason")).contains("SIGKILL");
            assertThat(crashed.details()).containsEntry("exitCode", 137);
            events.await("a", Type.CLOSED, TIMEOUT);
            // R9: deepest dependent first — c is closed before a begins closing
            assertThat(events.seqOf("b", Type.CRASHED)).isLessThan(events.seqOf("c", Type.CLOSING));
            assertThat(events.seqOf("c", Type.CLOSED)).isLessThan(events.seqOf("a", Type.CLOSING));
            for (String dependent : List.of("a", "c")) {
                assertThat(events.historyOf(dependent)).endsWith("running", "closing", "closed");
                assertThat(events.first(dependent, Type.CLOSED).orElseThrow().details()).doesNotContainKey("error");
                assertThat(manager.status(dependent).state()).isEqualTo(ServiceState.CLOSED);
                ServiceProcesses.awaitGone(pids.get(dependent));
            }
            assertThat(manager.status("b").state()).isEqualTo(ServiceState.CLOSED);
            assertThat(manager.status("b").problem()).hasValueSatisfying(p -> assertThat(p).contains("SIGKILL"));
            assertThat(manager.status("b").pid()).isEmpty();
            // no path to b: untouched, same process
            assertThat(events.historyOf("lonely")).containsExactly("created", "starting", "running");
            assertThat(manager.status("lonely").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("lonely").pid()).hasValue(pids.get("lonely"));
            assertThat(ServiceProcesses.alive(pids.get("lonely"))).isTrue();
            // nobody is restarted
            assertThat(events.history()).containsOnlyOnce("a:starting", "b:starting", "c:starting");
        }
        assertThat(events.historyOf("lonely")).endsWith("closing", "closed", "destroyed");
        pids.forEach((name, pid) -> assertThat(ServiceProcesses.alive(pid)).as("process of %s", name).isFalse());
    }

    @Test
    void crashClosesDependentsButNotTheCrashedServicesDependencies() throws Exception {
        // c -> a -> b; a crashes: c closes, b keeps running in the same process
        ClusterSpec cluster = ClusterSpec.builder("middle")
                .service(idle("b"))
                .service(idle("a").dependsOn("b"))
                .service(idle("c").dependsOn("a"))
                .build();
        RecordingListener events = new RecordingListener();
        long bPid;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            bPid = manager.status("b").pid().orElseThrow();
            ProcessHandle.of(manager.status("a").pid().orElseThrow()).orElseThrow().destroyForcibly();

            events.await("a", Type.CRASHED, TIMEOUT);
            events.await("c", Type.CLOSED, TIMEOUT);
            assertThat(events.seqOf("a", Type.CRASHED)).isLessThan(events.seqOf("c", Type.CLOSING));
            assertThat(events.historyOf("b")).containsExactly("created", "starting", "running");
            assertThat(manager.status("b").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("b").pid()).hasValue(bPid);
        }
        assertThat(ServiceProcesses.alive(bPid)).isFalse();
        assertThat(ServiceProcesses.remotesOf("a", "b", "c")).isEmpty();
    }

    @Test
    void serviceThatHaltsItselfIsCrashedWithItsExitCode() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("halting")
                .service(configurable("halts").setting("crashAfterMillis", "500").setting("exitCode", "42"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            ServiceEvent crashed = events.await("halts", Type.CRASHED, TIMEOUT);
            assertThat(crashed.details()).containsEntry("exitCode", 42);
            assertThat(crashed.detail("reason")).contains("exited with code 42");
            assertThat(events.historyOf("halts")).containsExactly("created", "starting", "running", "crashed", "closed");
            assertThat(manager.status("halts").problem()).hasValueSatisfying(p -> assertThat(p).contains("42"));
            assertThat(ServiceProcesses.alive(ServiceProcesses.pidFile(state, "halts").orElseThrow())).isFalse();
        }
    }

    @Test
    void whenIdleCompletesOnceEveryServiceCrashedOrFailedAndCloseLeavesNoProcess() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("doomed")
                .service(configurable("halts").setting("crashAfterMillis", "500").setting("exitCode", "3"))
                .service(configurable("broken").setting("failStart", "cannot start"))
                .service(idle("after-broken").dependsOn("broken"))
                .service(idle("after-halts").dependsOn("halts"))
                .build();
        RecordingListener events = new RecordingListener();
        ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build();
        try (manager) {
            manager.start();
            manager.whenIdle().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(events.first("halts", Type.CRASHED)).isPresent();
            assertThat(events.first("broken", Type.FAILED)).isPresent();
            assertThat(events.first("after-broken", Type.STARTING)).isEmpty();
            assertThat(manager.status()).allSatisfy(s -> assertThat(s.state().isActive()).as(s.name()).isFalse());
        }
        assertThat(manager.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(ServiceState.DESTROYED));
        for (String name : List.of("halts", "broken", "after-halts")) {
            ServiceProcesses.pidFile(state, name).ifPresent(pid -> assertThat(ServiceProcesses.alive(pid)).as(name).isFalse());
        }
        assertThat(ServiceProcesses.remotesOf("halts", "broken", "after-broken", "after-halts")).isEmpty();
    }
}
