package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stop(name)} and {@code restart(name)}: one service, its dependents first (R7), back in order (R6). */
class ServiceControlTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void stopsOneServiceAfterItsDependentsAndRestartsThemInOrder() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("control")
                .service(idle("b"))
                .service(idle("a").dependsOn("b"))
                .service(idle("c").dependsOn("a"))
                .service(idle("x"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            long xPid = manager.status("x").pid().orElseThrow();

            manager.stop("a");
            await().atMost(WAIT).until(() -> manager.status("a").state() == ServiceState.CLOSED);
            assertThat(events.seqOf("c", Type.CLOSED)).isLessThan(events.seqOf("a", Type.CLOSING));
            assertThat(manager.status("c").state()).isEqualTo(ServiceState.CLOSED);
            assertThat(manager.status("b").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("x").pid()).hasValue(xPid);

            int before = events.events().size();
            manager.restart("a");
            await().atMost(WAIT).until(() -> manager.status().stream().allMatch(s -> s.state() == ServiceState.RUNNING));
            List<ServiceEvent> after = events.events().subList(before, events.events().size());
            assertThat(after).extracting(e -> e.service() + ":" + e.type().wireName())
                    .containsSubsequence("a:starting", "a:running", "c:starting", "c:running");

            int beforeCycle = events.events().size();
            manager.restart("b");
            await().atMost(WAIT).until(() -> events.first("c", Type.RUNNING).isPresent()
                    && events.events().subList(beforeCycle, events.events().size()).stream()
                            .anyMatch(e -> e.service().equals("c") && e.type() == Type.RUNNING));
            List<String> cycle = events.events().subList(beforeCycle, events.events().size()).stream()
                    .map(e -> e.service() + ":" + e.type().wireName()).toList();
            assertThat(cycle).containsSubsequence("c:closed", "a:closing", "a:closed", "b:closing", "b:closed",
                    "b:starting", "b:running", "a:starting", "a:running", "c:starting", "c:running");
            assertThat(cycle).noneMatch(e -> e.startsWith("x:"));
        }
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        ClusterSpec cluster = ClusterSpec.builder("names").service(idle("only")).build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            assertThatThrownBy(() -> manager.stop("nope")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("'nope'").hasMessageContaining("only");
        }
    }
}
