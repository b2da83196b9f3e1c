package io.servicescluster.core.data;

import static io.servicescluster.core.data.DataSpecs.LEFTOVERS_HARMLESS;
import static io.servicescluster.core.data.DataSpecs.client;
import static io.servicescluster.core.data.DataSpecs.result;
import static io.servicescluster.core.data.DataSpecs.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R15 and the data plane: services in bubblewrap sandboxes without network (and the client with
 * nothing readable beyond its runtime) still exchange requests and events over Unix sockets, the
 * dependent reaching its dependency's data socket through the folder its sandbox binds read-only.
 */
class SandboxedDataPlaneTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Permissions OFFLINE = new Permissions(Optional.empty(), List.of(), false, false);
    private static final Permissions OFFLINE_AND_BLIND = new Permissions(Optional.of(List.of()), List.of(), false, false);

    @TempDir
    Path state;

    @Test
    void sandboxedServicesWithoutNetworkStillServeRequestsAndEvents() throws Exception {
        Sandboxes.requireBubblewrap();
        ClusterSpec cluster = ClusterSpec.builder("boxed-data")
                .service(server("server").permissions(OFFLINE))
                .service(client("client", "server", "leftovers,echo,events").permissions(OFFLINE_AND_BLIND))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(result(events, "client", "leftovers", TIMEOUT)).isEqualTo(LEFTOVERS_HARMLESS);
            assertThat(result(events, "client", "echo", TIMEOUT)).isNotBlank();
            assertThat(result(events, "client", "events", TIMEOUT)).isNotBlank();
        }
    }
}
