package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R15, fail closed: the process container has no sandbox and no resource limits, so a service that
 * asks for a restriction fails with a message saying so, and never runs unrestricted.
 */
class FailClosedPermissionsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path state;

    @Test
    void restrictionsTheProcessContainerCannotEnforceFailTheStart() throws Exception {
        Path data = state.resolve("data");
        ClusterSpec cluster = ClusterSpec.builder("restricted")
                .service(configurable("no-network").permissions(new Permissions(Optional.empty(), List.of(), false, false)))
                .service(configurable("read-only").permissions(new Permissions(Optional.of(List.of(data)), List.of(), true,
                        false)))
                .service(configurable("writer").permissions(new Permissions(Optional.empty(), List.of(data), true, false)))
                .service(configurable("small").resources(new Resources(OptionalLong.of(256L << 20), OptionalDouble.empty())))
                .service(configurable("slow-cpu").resources(new Resources(OptionalLong.empty(), OptionalDouble.of(0.5))))
                .service(idle("user").dependsOn("no-network"))
                .service(idle("free"))
                .build();
        Map<String, String> expected = Map.of(
                "no-network", "network: false",
                "read-only", "files.read",
                "writer", "files.write",
                "small", "resources.memory",
                "slow-cpu", "resources.cpus");
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT)).isInstanceOf(ServiceFailureException.class);
            expected.forEach((service, restriction) -> {
                String reason = events.first(service, Type.FAILED).orElseThrow(
                        () -> new AssertionError(service + " did not fail: " + events.history())).detail("reason");
                assertThat(reason).as(service).contains("process container cannot enforce").contains(restriction)
                        .contains("'" + service + "'");
                assertThat(events.historyOf(service)).as(service).doesNotContain("running");
                // it never ran: the service's start would have written its pid
                assertThat(ServiceProcesses.pidFile(state, service)).as(service).isEmpty();
                assertThat(manager.status(service).problem()).as(service).isPresent();
            });
            assertThat(events.historyOf("user")).doesNotContain("starting");
            assertThat(manager.status("free").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(ServiceProcesses.remotesOf(expected.keySet().toArray(String[]::new))).isEmpty();
        }
        assertThat(ServiceProcesses.remotesOf("free", "user")).isEmpty();
    }

    @Test
    void defaultPermissionsRunUnderTheProcessContainer() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("unrestricted")
                .service(configurable("plain").permissions(Permissions.DEFAULT).resources(Resources.UNLIMITED))
                .build();
        long pid;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(manager.status("plain").state()).isEqualTo(ServiceState.RUNNING);
            pid = manager.status("plain").pid().orElseThrow();
        }
        assertThat(ServiceProcesses.alive(pid)).isFalse();
    }
}
