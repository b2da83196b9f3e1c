package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.RestartPolicy.Policy;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6 §4: a shutdown that races a restart or a start never leaves a process behind. */
class ShutdownRaceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void shutdownDuringAPendingRestartEndsPromptlyWithoutStartingIt() throws Exception {
        Duration backoff = Duration.ofSeconds(2);
        ClusterSpec cluster = ClusterSpec.builder("pending")
                .service(configurable("crashy").setting("crashAfterMillis", "300")
                        .restart(new RestartPolicy(Policy.ON_FAILURE, 5, Duration.ofSeconds(60), backoff)))
                .build();
        RecordingListener events = new RecordingListener();
        ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build();
        try {
            manager.start();
            events.await("crashy", Type.RESTARTING, TIMEOUT);
            long pid = ServiceProcesses.pidFile(state, "crashy").orElseThrow();

            long stopAt = System.nanoTime();
            manager.stop();
            manager.whenTerminated().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - stopAt);

            // the pending restart did not hold the shutdown up, and did not happen
            assertThat(took).isLessThan(backoff);
            assertThat(events.historyOf("crashy")).endsWith("restarting", "destroyed");
            assertThat(events.historyOf("crashy").stream().filter("starting"::equals)).hasSize(1);
            assertThat(manager.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(ServiceState.DESTROYED));
            assertThat(ServiceProcesses.alive(pid)).isFalse();
        } finally {
            manager.close();
        }
        assertThat(ServiceProcesses.remotesOf("crashy")).isEmpty();
        // and the restart timer, firing after the end, changed nothing
        long last = events.events().getLast().seq();
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .until(() -> events.events().getLast().seq() == last && ServiceProcesses.remotesOf("crashy").isEmpty());
    }

    @Test
    void shutdownWhileLaunchingClosesTheServiceAfterItsStart() throws Exception {
        RecordingListener events = new RecordingListener();
        ServicesManager manager = slowStarter(events);
        try {
            manager.start();
            events.await("slow", Type.STARTING, TIMEOUT);
            manager.stop();  // most likely while its JVM is still being launched
            manager.whenTerminated().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            manager.close();
        }
        assertClosedAfterItsStartAndGone(events);
    }

    @Test
    void shutdownWhileStartRunsClosesTheServiceAfterItsStart() throws Exception {
        RecordingListener events = new RecordingListener();
        ServicesManager manager = slowStarter(events);
        try {
            manager.start();
            // the pid file is written as start() begins: it now sleeps its 2 s
            await().atMost(TIMEOUT).until(() -> ServiceProcesses.pidFile(state, "slow").isPresent());
            manager.stop();
            manager.whenTerminated().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            manager.close();
        }
        assertClosedAfterItsStartAndGone(events);
    }

    @Test
    void killWhileStartingLeavesNoProcess() throws Exception {
        RecordingListener events = new RecordingListener();
        ServicesManager manager = slowStarter(events);
        manager.start();
        events.await("slow", Type.STARTING, TIMEOUT);
        manager.kill();
        // a JVM launched just before the kill must not survive it either
        await().atMost(ServiceProcesses.GONE_WITHIN).until(() -> ServiceProcesses.remotesOf("slow", "after").isEmpty());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> ServiceProcesses.remotesOf("slow", "after").isEmpty());
        ServiceProcesses.pidFile(state, "slow").ifPresent(ServiceProcesses::awaitGone);
    }

    private ServicesManager slowStarter(RecordingListener events) {
        ClusterSpec cluster = ClusterSpec.builder("slow-start")
                .service(configurable("slow").setting("startMillis", "2000"))
                .service(idle("after").dependsOn("slow"))
                .build();
        return ServicesManager.builder(cluster).stateDir(state).listener(events).build();
    }

    private void assertClosedAfterItsStartAndGone(RecordingListener events) {
        assertThat(events.historyOf("slow")).containsExactly("created", "starting", "running", "closing", "closed",
                "destroyed");
        // the dependent is not started once the cluster stops
        assertThat(events.historyOf("after")).doesNotContain("starting");
        assertThat(events.historyOf("after")).endsWith("destroyed");
        long pid = ServiceProcesses.pidFile(state, "slow").orElseThrow();
        ServiceProcesses.awaitGone(pid);
        assertThat(ServiceProcesses.remotesOf("slow", "after")).isEmpty();
        List<String> all = events.history();
        assertThat(all.indexOf("after:destroyed")).isLessThan(all.indexOf("slow:destroyed"));
    }
}
