package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.container.process.HostTools;
import io.servicescluster.core.container.process.ProcessContainerFactory;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Files;
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
 * R15, fail closed: where this host lacks what enforces a restriction (bubblewrap, a writable
 * cgroup), a service that asks for it fails to start with a message naming what is missing and
 * how to get it, and never runs unrestricted; so does any service without bubblewrap, since every
 * service is confined by default (issue 18), unless it says {@code unconfined: true}.
 */
class FailClosedPermissionsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path state;

    @TempDir
    Path empty;

    @Test
    void withoutBubblewrapOrCgroupsRestrictedServicesFailAndTheRestRuns() throws Exception {
        Path data = state.resolve("data");
        ClusterSpec cluster = ClusterSpec.builder("restricted")
                .service(configurable("no-network").permissions(new Permissions(Optional.empty(), List.of(), false, false)))
                .service(configurable("read-only").permissions(new Permissions(Optional.of(List.of(data)), List.of(), true,
                        false)))
                .service(configurable("writer").permissions(new Permissions(Optional.empty(), List.of(data), true, false)))
                .service(configurable("small").resources(new Resources(OptionalLong.of(256L << 20), OptionalDouble.empty()))
                        .unconfined(true))
                .service(configurable("slow-cpu").resources(new Resources(OptionalLong.empty(), OptionalDouble.of(0.5)))
                        .unconfined(true))
                .service(configurable("confined"))
                .service(idle("user").dependsOn("no-network"))
                // without cgroups the default process limit is skipped (a warning): the cluster file asked for none
                .service(idle("free").unconfined(true))
                .build();
        Map<String, List<String>> expected = Map.of(
                "no-network", List.of("network: false", "bubblewrap", "apt-get install bubblewrap", "PATH (" + empty),
                "read-only", List.of("files.read [" + data + "]", "bubblewrap"),
                "writer", List.of("files.write [" + data + "]", "bubblewrap"),
                "small", List.of("memory: 256m", "cgroup", "no cgroup v1 'memory' controller is mounted at " + empty),
                "slow-cpu", List.of("cpus: 0.5", "cgroup", "'cpu' controller"),
                "confined", List.of("its default confinement", "bubblewrap", "apt-get install bubblewrap",
                        "unconfined: true"));
        HostTools nothing = HostTools.detect().withSearchPath(empty.toString()).withCgroupRoot(empty);
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events)
                .containerFactory(new ProcessContainerFactory(RemoteRuntime.detect(), nothing)).build()) {
            manager.start();
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT)).isInstanceOf(ServiceFailureException.class);
            expected.forEach((service, words) -> {
                String reason = events.first(service, Type.FAILED).orElseThrow(
                        () -> new AssertionError(service + " did not fail: " + events.history())).detail("reason");
                assertThat(reason).as(service).contains("the process container cannot enforce")
                        .contains("'" + service + "'").contains(words);
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

    /** Only a hybrid host (v1 controllers, plus a v2 hierarchy without them) can test this without harm. */
    @Test
    void aCgroupV2HierarchyWithoutTheControllerFailsNamingIt() throws Exception {
        Path unified = Path.of("/sys/fs/cgroup/unified");
        assumeTrue(Files.exists(unified.resolve("cgroup.controllers"))
                && !Files.readString(unified.resolve("cgroup.controllers")).contains("memory"),
                "needs a cgroup v2 hierarchy without the memory controller at " + unified);
        ClusterSpec cluster = ClusterSpec.builder("v2")
                .service(configurable("small").resources(new Resources(OptionalLong.of(64L << 20), OptionalDouble.empty())))
                .build();
        HostTools v2 = HostTools.detect().withCgroupRoot(unified);
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events)
                .containerFactory(new ProcessContainerFactory(RemoteRuntime.detect(), v2)).build()) {
            manager.start();
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT)).isInstanceOf(ServiceFailureException.class);
            assertThat(events.first("small", Type.FAILED).orElseThrow().detail("reason"))
                    .contains("memory: 64m", "cgroup v2", "does not offer the controller(s) memory");
        }
        assertThat(unified.resolve("services-cluster")).doesNotExist();
    }

    @Test
    void defaultPermissionsRunUnderTheProcessContainer() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("unrestricted")
                .service(configurable("plain").permissions(Permissions.DEFAULT).resources(Resources.UNLIMITED))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(manager.status("plain").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("plain").restrictions()).isEmpty();
        }
    }
}
