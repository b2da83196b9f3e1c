package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;

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

/** SPEC §4 {@code restart} with real processes: give-up after intensity, backoff spacing, clean exits. */
class RestartPolicyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path state;

    @Test
    void crashLoopGivesUpAfterMaxRestartsWithDoublingBackoffAndItsDependentStaysDown() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("crash-loop")
                .service(configurable("loop").setting("crashAfterMillis", "150")
                        .restart(new RestartPolicy(Policy.ON_FAILURE, 3, Duration.ofSeconds(60), Duration.ofMillis(100))))
                .service(idle("dependent").dependsOn("loop"))
                .build();
        RecordingListener events = new RecordingListener();
        ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build();
        try (manager) {
            manager.start();
            manager.whenIdle().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            List<ServiceEvent> loop = events.events().stream().filter(e -> e.service().equals("loop")).toList();
            List<ServiceEvent> restarts = loop.stream().filter(e -> e.type() == Type.RESTARTING).toList();
            assertThat(restarts).extracting(e -> e.details().get("attempt")).containsExactly(1, 2, 3);
            assertThat(restarts).extracting(e -> e.detail("backoff")).containsExactly("100ms", "200ms", "400ms");
            assertThat(loop.stream().filter(e -> e.type() == Type.STARTING)).hasSize(4);
            // each restart waits its backoff: from the end of one run to the next start
            for (int i = 0; i < restarts.size(); i++) {
                int at = loop.indexOf(restarts.get(i));
                ServiceEvent closed = loop.get(at - 1);
                ServiceEvent nextStart = loop.get(at + 1);
                assertThat(closed.type()).as(events.historyOf("loop").toString()).isEqualTo(Type.CLOSED);
                assertThat(nextStart.type()).as(events.historyOf("loop").toString()).isEqualTo(Type.STARTING);
                Duration gap = Duration.between(closed.time(), nextStart.time());
                assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(Duration.ofMillis(100L << i));
            }
            // each run ended in a failure (a crash, or a failure during start when the crash won the race)
            assertThat(loop.stream().filter(e -> e.type() == Type.CRASHED || e.type() == Type.FAILED
                    && e.detail("reason").contains("exited with code 1"))).hasSize(4);
            ServiceEvent last = loop.getLast();
            assertThat(last.type()).isEqualTo(Type.FAILED);
            assertThat(last.detail("reason")).isEqualTo("gave up: 3 restarts within 1m (maxRestarts 3)");
            assertThat(manager.status("loop").state()).isEqualTo(ServiceState.CLOSED);
            assertThat(manager.status("loop").problem()).hasValue(last.detail("reason"));
            // its dependent never starts after the give-up, and is not running
            assertThat(events.events().stream().filter(e -> e.service().equals("dependent")
                    && e.type() == Type.STARTING && e.seq() > last.seq())).isEmpty();
            assertThat(manager.status("dependent").state().isActive()).isFalse();
        }
        assertThat(ServiceProcesses.remotesOf("loop", "dependent")).isEmpty();
    }

    @Test
    void failedStartIsRestartedByOnFailure() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("bad-start")
                .service(configurable("broken").setting("failStart", "no database")
                        .restart(new RestartPolicy(Policy.ON_FAILURE, 2, Duration.ofSeconds(60), Duration.ofMillis(50))))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.whenIdle().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(events.historyOf("broken")).containsExactly("created",
                    "starting", "failed", "closed", "restarting",
                    "starting", "failed", "closed", "restarting",
                    "starting", "failed", "closed", "failed");
            assertThat(events.events().getLast().detail("reason")).startsWith("gave up: 2 restarts");
        }
    }

    @Test
    void alwaysRestartsACleanExitOfItsOwnAccordAndOnFailureDoesNot() throws Exception {
        RestartPolicy once = new RestartPolicy(Policy.ALWAYS, 1, Duration.ofSeconds(60), Duration.ofMillis(100));
        ClusterSpec cluster = ClusterSpec.builder("clean-exits")
                .service(configurable("always").setting("crashAfterMillis", "300").setting("exitCode", "0")
                        .restart(once))
                .service(configurable("on-failure").setting("crashAfterMillis", "300").setting("exitCode", "0")
                        .restart(new RestartPolicy(Policy.ON_FAILURE, 5, Duration.ofSeconds(60), Duration.ofMillis(100))))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.whenIdle().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(events.historyOf("always")).containsExactly("created",
                    "starting", "running", "closed", "restarting",
                    "starting", "running", "closed", "failed");
            List<ServiceEvent> always = events.events().stream().filter(e -> e.service().equals("always")).toList();
            assertThat(always.stream().filter(e -> e.type() == Type.CLOSED))
                    .allSatisfy(e -> assertThat(e.detail("reason")).isEqualTo("exited of its own accord"));
            assertThat(always.getLast().detail("reason")).isEqualTo("gave up: 1 restart within 1m (maxRestarts 1)");

            assertThat(events.historyOf("on-failure")).containsExactly("created", "starting", "running", "closed");
            assertThat(events.first("on-failure", Type.CLOSED).orElseThrow().detail("reason"))
                    .isEqualTo("exited of its own accord");
            // a clean exit is no failure
            assertThat(manager.status("on-failure").problem()).isEmpty();
        }
        assertThat(ServiceProcesses.remotesOf("always", "on-failure")).isEmpty();
    }
}
