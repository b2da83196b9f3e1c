package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the manager sees of a running service: output, uncaught exceptions, pid and resource use. */
class MonitoringTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int LINES = 200;

    @TempDir
    Path state;

    @Test
    void outputExceptionsPidAndStatsReachTheManager() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("watched")
                .service(configurable("chatty").setting("print", Integer.toString(LINES))
                        .setting("uncaught", "lost the thread"))
                .build();
        RecordingListener events = new RecordingListener();
        long pid;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);

            // pid: present while running, the service's own process
            pid = manager.status("chatty").pid().orElseThrow();
            assertThat(ServiceProcesses.pidFile(state, "chatty")).hasValue(pid);
            assertThat(ServiceProcesses.alive(pid)).isTrue();
            assertThat(ServiceProcesses.remotesOf("chatty")).extracting(ProcessHandle::pid).containsExactly(pid);

            // output: every line of each stream, in the order written
            List<String> out = IntStream.rangeClosed(1, LINES).mapToObj(i -> "out " + i).toList();
            List<String> err = IntStream.rangeClosed(1, LINES).mapToObj(i -> "err " + i).toList();
            Awaitility.await().atMost(TIMEOUT).until(() -> events.lines("chatty", OutputStream.STDOUT).size() >= LINES
                    && events.lines("chatty", OutputStream.STDERR).size() >= LINES);
            assertThat(events.lines("chatty", OutputStream.STDOUT)).containsExactlyElementsOf(out);
            assertThat(events.lines("chatty", OutputStream.STDERR)).containsExactlyElementsOf(err);

            // an uncaught exception: an event with class and message, and a report with its stack trace
            ServiceEvent exception = events.await("chatty", Type.EXCEPTION, TIMEOUT);
            assertThat(exception.detail("exception")).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(exception.detail("message")).isEqualTo("lost the thread");
            List<ExceptionReport> reports = manager.status("chatty").exceptions();
            assertThat(reports).singleElement().satisfies(report -> {
                assertThat(report.className()).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(report.message()).isEqualTo("lost the thread");
                assertThat(report.thread()).isEqualTo("worker-1");
                assertThat(report.stackTrace())
                        .contains("java.lang.IllegalArgumentException: lost the thread")
                        .contains("at io.servicescluster.testing.services.Configurable");
            });
            // the exception did not end the service
            assertThat(manager.status("chatty").state()).isEqualTo(ServiceState.RUNNING);

            // resource use: sampled about once a second
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> manager.status("chatty").stats().isPresent());
            ResourceStats stats = manager.status("chatty").stats().orElseThrow();
            assertThat(stats.cpuTimeNanos()).isPositive();
            assertThat(stats.heapUsedBytes()).isPositive();
            assertThat(stats.heapMaxBytes()).isGreaterThanOrEqualTo(stats.heapUsedBytes());
            assertThat(stats.rssBytes()).isPositive();
            assertThat(stats.cpuPercent()).isNotNegative();
        }
        assertThat(events.historyOf("chatty")).containsExactly("created", "starting", "running", "exception",
                "closing", "closed", "destroyed");
        assertThat(ServiceProcesses.alive(pid)).isFalse();
    }

    @Test
    void pidAndStatsAreClearedOnceTheServiceStops() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("cleared")
                .service(configurable("short-lived").setting("crashAfterMillis", "1500").setting("exitCode", "1"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long pid = manager.status("short-lived").pid().orElseThrow();
            events.await("short-lived", Type.CRASHED, TIMEOUT);
            ServiceStatus status = manager.status("short-lived");
            assertThat(status.state()).isEqualTo(ServiceState.CLOSED);
            assertThat(status.pid()).isEmpty();
            assertThat(status.stats()).isEmpty();
            assertThat(status.runningSince()).isEmpty();
            ServiceProcesses.awaitGone(pid);
        }
    }
}
