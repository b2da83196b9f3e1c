package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.startCounter;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R10: each start gets a fresh remote, which a close destroys; the work directory outlives it. */
class FreshRemoteTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path state;

    @Test
    void eachStartHasAFreshRemoteAndTheWorkDirPersists() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("fresh").service(startCounter("counter")).build();

        RecordingListener first = new RecordingListener();
        long firstPid = runOnce(cluster, first);
        assertThat(ServiceProcesses.alive(firstPid)).as("the first remote after close").isFalse();
        assertThat(first.lines("counter", OutputStream.STDOUT)).contains("start 1");
        Path workDir = ServiceProcesses.workDir(state, "counter");
        assertThat(Files.readString(workDir.resolve("starts"))).isEqualTo("1");

        RecordingListener second = new RecordingListener();
        long secondPid = runOnce(cluster, second);
        assertThat(secondPid).isNotEqualTo(firstPid);
        assertThat(ServiceProcesses.alive(secondPid)).as("the second remote after close").isFalse();
        // the same work directory, with what the first run left in it
        assertThat(second.lines("counter", OutputStream.STDOUT)).contains("start 2");
        assertThat(Files.readString(workDir.resolve("starts"))).isEqualTo("2");
        assertThat(ServiceProcesses.remotesOf("counter")).isEmpty();
    }

    /** Runs the cluster until the counter is running, closes it, and returns the remote's pid. */
    private long runOnce(ClusterSpec cluster, RecordingListener events) throws Exception {
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long pid = manager.status("counter").pid().orElseThrow();
            assertThat(ServiceProcesses.pidFile(state, "counter")).hasValue(pid);
            assertThat(ServiceProcesses.alive(pid)).isTrue();
            assertThat(manager.status("counter").starts()).isEqualTo(1);
            Awaitility.await().atMost(TIMEOUT).until(() -> !events.lines("counter", OutputStream.STDOUT).isEmpty());
            return pid;
        }
    }
}
