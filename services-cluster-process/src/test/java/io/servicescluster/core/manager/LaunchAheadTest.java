package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 2, with real processes: a service that waits for its dependencies has its
 * remote launched meanwhile; a waiting remote that dies is replaced without a word, and one that
 * no start will take ends. The event log does not change: {@code starting} comes after R6.
 */
class LaunchAheadTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    /** The JVM (not a wrapper around it) of {@code service}, if one runs now. */
    private static Optional<ProcessHandle> jvmOf(String service) {
        String marker = "-Dservicescluster.service=" + service;
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .findFirst();
    }

    @Test
    void aWaitingServicesRemoteRunsBeforeItsStartAndOneThatDiesIsReplacedSilently() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("ahead")
                .service(configurable("db").setting("startWhen", "go"))
                .service(idle("api").dependsOn("db"))
                .build();
        RecordingListener events = new RecordingListener();
        ProcessHandle first;
        ProcessHandle second;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            // db is starting and stays so until "go": api's remote is launched all the same
            first = await().atMost(WAIT).until(() -> jvmOf("api"), Optional::isPresent).orElseThrow();
            assertThat(manager.status("db").state()).isEqualTo(ServiceState.STARTING);
            assertThat(manager.status("api").state()).isEqualTo(ServiceState.CREATED);

            first.destroyForcibly(); // dies while it waits: replaced, not reported
            second = await().atMost(WAIT).until(() -> jvmOf("api").filter(p -> p.pid() != first.pid()),
                    Optional::isPresent).orElseThrow();

            Files.writeString(ServiceProcesses.workDir(state, "db").resolve("go"), "");
            manager.awaitRunning(WAIT);
            // the start used the remote that waited for it (R10: no other start used it)
            assertThat(manager.status("api").pid()).hasValue(second.pid());
            assertThat(events.historyOf("api")).containsExactly("created", "starting", "running");
            assertThat(events.first("api", Type.STARTING).orElseThrow().seq())
                    .isGreaterThan(events.first("db", Type.RUNNING).orElseThrow().seq()); // R6
        }
        assertThat(first.isAlive()).isFalse();
        await().atMost(ServiceProcesses.GONE_WITHIN).until(() -> !second.isAlive());
    }

    @Test
    void aRemoteLaunchedAheadEndsWhenItsServiceWillNotStart() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("never")
                .service(configurable("db").setting("startWhen", "go").setting("failStart", "no database today")
                        .restart(RestartPolicy.NEVER))
                .service(idle("api").dependsOn("db"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            ProcessHandle waiting = await().atMost(WAIT).until(() -> jvmOf("api"), Optional::isPresent).orElseThrow();
            Files.writeString(ServiceProcesses.workDir(state, "db").resolve("go"), "");
            events.await("db", Type.FAILED, WAIT);
            // db is down for good (no restart): api would wait forever, so its remote ends now,
            // with the cluster still up, and no other is launched for it
            await().atMost(ServiceProcesses.GONE_WITHIN).until(() -> !waiting.isAlive());
            manager.whenStartupSettled().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(jvmOf("api")).isEmpty();
            assertThat(events.historyOf("api")).doesNotContain("starting");
        }
        assertThat(jvmOf("api")).isEmpty();
    }
}
