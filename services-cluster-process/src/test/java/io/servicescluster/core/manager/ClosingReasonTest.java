package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §4: every {@code closing} event says why (docs/operations.md), and a close caused by
 * another service names it: {@code dependency db crashed}. Chain c -> a -> b.
 */
class ClosingReasonTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void eachClosingSaysWhyAndNamesTheDependencyWhereTheCauseBegan() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("reasons")
                .service(idle("b"))
                .service(idle("a").dependsOn("b"))
                .service(idle("c").dependsOn("a"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);

            int mark = events.events().size();
            manager.stop("b");
            awaitClosed(manager, "b");
            assertThat(closingReasons(events, mark)).containsExactly(
                    "c: dependency b is stopping", "a: dependency b is stopping", "b: asked to stop");

            manager.restart("b");
            manager.restart("a");
            manager.restart("c");
            await().atMost(TIMEOUT).until(() -> allRunning(manager));
            mark = events.events().size();
            manager.restart("b");
            awaitCount(events, mark, "c", Type.RUNNING, 1);
            assertThat(closingReasons(events, mark)).containsExactly(
                    "c: dependency b is restarting", "a: dependency b is restarting", "b: asked to restart");

            mark = events.events().size();
            ProcessHandle.of(manager.status("b").pid().orElseThrow()).orElseThrow().destroyForcibly();
            awaitCount(events, mark, "a", Type.CLOSED, 1);
            assertThat(closingReasons(events, mark)).containsExactly(
                    "c: dependency b crashed", "a: dependency b crashed");

            manager.restart("b");
            await().atMost(TIMEOUT).until(() -> allRunning(manager));
            mark = events.events().size();
            manager.stop();
            manager.whenTerminated().join();
            assertThat(closingReasons(events, mark)).containsExactly(
                    "c: cluster stopping", "a: cluster stopping", "b: cluster stopping");
        }
    }

    private static void awaitCount(RecordingListener events, int mark, String service, Type type, int count) {
        await().atMost(TIMEOUT).until(() -> events.events().stream().skip(mark)
                .filter(e -> e.service().equals(service) && e.type() == type).count() >= count);
    }

    private static void awaitClosed(ServicesManager manager, String service) {
        await().atMost(TIMEOUT).until(() -> manager.status(service).state() == ServiceState.CLOSED);
    }

    private static boolean allRunning(ServicesManager manager) {
        return manager.status().stream().allMatch(s -> s.state() == ServiceState.RUNNING);
    }

    /** {@code service: reason} of each {@code closing} event after the first {@code mark} events. */
    private static List<String> closingReasons(RecordingListener events, int mark) {
        return events.events().stream().skip(mark).filter(e -> e.type() == Type.CLOSING)
                .map(e -> e.service() + ": " + e.detail("reason")).toList();
    }
}
