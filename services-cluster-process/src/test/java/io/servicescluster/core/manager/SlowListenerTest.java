package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §2: a listener never blocks a decision, and the manager's futures still follow the events.
 */
class SlowListenerTest {

    @TempDir
    Path state;

    @Test
    void aListenerThatBlocksDelaysNoDecisionAndTheFuturesWaitForItsEvents() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<ServiceEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClusterListener stuck = new ClusterListener() {
            @Override
            public void onEvent(ServiceEvent event) {
                try {
                    release.await(60, TimeUnit.SECONDS); // a terminal that does not read, a disk that hangs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(event);
            }
        };
        ClusterSpec cluster = ClusterSpec.builder("slow").service(idle("db")).service(idle("api").dependsOn("db"))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(stuck).build()) {
            manager.start();
            // every decision is taken while the listener still holds the first event
            await().atMost(Duration.ofSeconds(60)).until(() -> manager.status().stream()
                    .allMatch(s -> s.state() == ServiceState.RUNNING));
            assertThat(seen).isEmpty();
            assertThat(manager.whenStartupSettled()).isNotDone();
            release.countDown();
            manager.awaitRunning(Duration.ofSeconds(60));
            assertThat(seen).extracting(e -> e.service() + ":" + e.type().wireName())
                    .containsSubsequence("db:running", "api:starting", "api:running");
        }
        assertThat(seen).last().extracting(e -> e.service() + ":" + e.type().wireName()).isEqualTo("db:destroyed");
    }
}
