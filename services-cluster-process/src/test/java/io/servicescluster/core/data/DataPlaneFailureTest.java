package io.servicescluster.core.data;

import static io.servicescluster.core.data.DataSpecs.client;
import static io.servicescluster.core.data.DataSpecs.result;
import static io.servicescluster.core.data.DataSpecs.server;
import static io.servicescluster.core.data.DataSpecs.watcher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a dependent sees when its dependency dies: pending requests fail at once; subscriptions come back. */
class DataPlaneFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void pendingRequestsFailAtOnceWhenTheDependencyCrashes() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("crash")
                .service(server("server"))
                .service(client("client", "server", "crash"))
                .build();
        RecordingListener events = new RecordingListener();
        List<Long> pids = new ArrayList<>();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            pids.add(manager.status("server").pid().orElseThrow());
            pids.add(manager.status("client").pid().orElseThrow());
            await().atMost(TIMEOUT).until(() -> events.lines("client", OutputStream.STDOUT).contains("waiting"));

            ProcessHandle.of(pids.get(0)).orElseThrow().destroyForcibly();

            String detail = result(events, "client", "crash", TIMEOUT);
            System.out.println("crash: " + detail);
            String[] parts = detail.split("\\|");
            assertThat(parts[0]).isEqualTo("PeerUnavailableException");
            assertThat(Long.parseLong(parts[1])).as("failed long before its 60 s timeout").isLessThan(20_000);
            // the end of its connection: closed (FIN) or, if the request was still unread in the
            // killed server's socket, reset (RST) — the kernel decides
            assertThat(parts[2]).contains("server is unavailable")
                    .containsAnyOf("connection closed by server", "connection to server broke");
            events.await("client", Type.CLOSED, TIMEOUT);
        }
        pids.forEach(ServiceProcesses::awaitGone);
    }

    @Test
    void subscriptionIsEstablishedAgainAfterTheDependencyRestarts() throws Exception {
        RestartPolicy onFailure = new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 5, Duration.ofSeconds(60),
                Duration.ofMillis(100));
        ClusterSpec cluster = ClusterSpec.builder("resubscribe")
                .service(server("feed").setting("tickEvery", "20").restart(onFailure))
                // unconfined: it names the new start by its pid, which a confined one sees as 2 each time
                .service(watcher("watcher").dependsOn("feed").unconfined(true))
                .build();
        RecordingListener events = new RecordingListener();
        List<Long> pids = new ArrayList<>();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long firstWatcher = manager.status("watcher").pid().orElseThrow();
            long firstFeed = manager.status("feed").pid().orElseThrow();
            pids.add(firstWatcher);
            pids.add(firstFeed);
            await().atMost(TIMEOUT).until(() -> received(events).size() == 1);

            ProcessHandle.of(firstFeed).orElseThrow().destroyForcibly();

            events.await("feed", Type.RESTARTING, TIMEOUT);
            await().atMost(TIMEOUT).until(() -> received(events).size() == 2);
            long secondWatcher = manager.status("watcher").pid().orElseThrow();
            pids.add(secondWatcher);
            pids.add(manager.status("feed").pid().orElseThrow());
            assertThat(secondWatcher).isNotEqualTo(firstWatcher);
            assertThat(received(events).get(1)).endsWith(" in " + secondWatcher);
            assertThat(events.historyOf("watcher")).containsSubsequence("running", "closing", "closed", "starting",
                    "running");
        }
        pids.forEach(ServiceProcesses::awaitGone);
    }

    private static List<String> received(RecordingListener events) {
        return events.lines("watcher", OutputStream.STDOUT).stream().filter(l -> l.startsWith("received tick")).toList();
    }
}
