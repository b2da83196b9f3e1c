package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R13: a close that exceeds its close timeout is killed and still counts as closed for ordering. */
class CloseTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path state;

    @Test
    void slowCloseIsKilledAndItsDependencyStillClosesAfterIt() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("slow-close")
                .service(idle("db"))
                .service(configurable("slow").dependsOn("db").setting("closeMillis", "20000")
                        .closeTimeout(Duration.ofMillis(300)))
                .build();
        RecordingListener events = new RecordingListener();
        long slowPid;
        long dbPid;
        long closeNanos;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
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
        assertThat(events.seqOf("slow", Type.CLOSED)).isLessThan(events.seqOf("db", Type.CLOSING));
        assertThat(events.historyOf("db")).containsExactly("created", "starting", "running", "closing", "closed",
                "destroyed");
        assertThat(events.first("db", Type.CLOSED).orElseThrow().details()).isEmpty();
        assertThat(ServiceProcesses.alive(slowPid)).as("the slow service's process").isFalse();
        assertThat(ServiceProcesses.alive(dbPid)).as("the dependency's process").isFalse();
    }
}
