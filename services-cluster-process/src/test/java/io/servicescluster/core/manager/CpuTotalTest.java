package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServiceStatus#totalCpuTimeNanos()}: the CPU time of every run, which a restart does not take back. */
class CpuTotalTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void theTotalKeepsTheEndedRunsAndNeverGoesDown() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("cpu").service(idle("a")).build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            ServiceStatus first = await().atMost(WAIT).until(() -> manager.status("a"),
                    s -> s.stats().map(ResourceStats::cpuTimeNanos).orElse(0L) > 0);
            long firstPid = first.pid().orElseThrow();
            assertThat(first.totalCpuTimeNanos()).isEqualTo(first.stats().orElseThrow().cpuTimeNanos());

            List<Long> totals = new CopyOnWriteArrayList<>();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    totals.add(manager.status("a").totalCpuTimeNanos());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            manager.restart("a");
            ServiceStatus second = await().atMost(WAIT).until(() -> manager.status("a"),
                    s -> s.state() == ServiceState.RUNNING && s.pid().orElse(firstPid) != firstPid && s.stats().isPresent());
            sampler.interrupt();
            sampler.join();

            long current = second.stats().orElseThrow().cpuTimeNanos();
            // what remains besides the current run is the first run's last sample, at least what was seen of it
            assertThat(second.totalCpuTimeNanos() - current)
                    .isGreaterThanOrEqualTo(first.stats().orElseThrow().cpuTimeNanos());
            assertThat(second.totalCpuTimeNanos()).isGreaterThan(first.totalCpuTimeNanos());
            assertThat(totals).as("totals sampled every 5 ms across the restart").hasSizeGreaterThan(10).isSorted();
        }
    }
}
