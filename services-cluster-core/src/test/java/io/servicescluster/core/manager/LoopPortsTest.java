package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
 * Issue 12 §2: the loop's legal transitions are written down in one place and an illegal one
 * throws; a listener never blocks a decision, and the manager's futures still follow the events.
 */
class LoopPortsTest {

    @TempDir
    Path state;

    @Test
    void onlyTheWrittenTransitionsAreLegal() {
        assertThat(ServiceState.NEW.mayMoveTo(ServiceState.CREATING)).isTrue();
        assertThat(ServiceState.RUNNING.mayMoveTo(ServiceState.STARTING)).isFalse();
        assertThat(ServiceState.CLOSED.mayMoveTo(ServiceState.RUNNING)).isFalse();
        assertThat(ServiceState.DESTROYED.mayMoveTo(ServiceState.NEW)).isFalse();
        ServiceNode node = new ServiceNode(idle("a").build(), new SimContainer("a", new VirtualTime(),
                new java.util.Random(1), new java.util.ArrayList<>()), state);
        assertThatThrownBy(() -> node.moveTo(ServiceState.RUNNING, java.time.Instant.EPOCH))
                .isInstanceOf(IllegalStateException.class).hasMessage("illegal transition of 'a': NEW -> RUNNING");
    }

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
