package io.servicescluster.core.data;

import static io.servicescluster.core.data.DataSpecs.client;
import static io.servicescluster.core.data.DataSpecs.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm pool and R15: a service restarted on a spare got its code, and the key its dependents'
 * capabilities derive from, before that start; its dependent, back after R9 on a spare of its own,
 * still reaches it (with a capability derived from that key: another would be refused).
 */
class WarmPoolDataTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final RestartPolicy AT_ONCE =
            new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 10, Duration.ofSeconds(60), Duration.ZERO);

    @TempDir
    Path state;

    @Test
    void aDependentReachesAServiceRestartedOnASpare() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("pooled-data").pool(2)
                .service(server("server").restart(AT_ONCE))
                .service(client("client", "server", "echo"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            await().atMost(WAIT).until(() -> echoes(events).size() == 1);
            // both have a spare
            await().atMost(WAIT).until(() -> ServiceProcesses.remotesOf("server", "client").size() == 4);
            long serverSpare = spare(manager, "server");
            long clientSpare = spare(manager, "client");

            ProcessHandle.of(manager.status("server").pid().orElseThrow()).orElseThrow().destroyForcibly();

            await().atMost(WAIT).until(() -> echoes(events).size() == 2);
            assertThat(manager.status("server").pid()).hasValue(serverSpare);
            assertThat(manager.status("client").pid()).hasValue(clientSpare);
            assertThat(manager.status("client").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(echoes(events)).allMatch(line -> line.equals("ok echo 9600"));
        }
    }

    /** The pid of the remote of {@code service} that is not its current start's. */
    private static long spare(ServicesManager manager, String service) {
        long current = manager.status(service).pid().orElseThrow();
        return ServiceProcesses.remotesOf(service).stream().mapToLong(ProcessHandle::pid).filter(p -> p != current)
                .findFirst().orElseThrow();
    }

    /** The client's results of its echo scenario so far, one per start. */
    private static List<String> echoes(RecordingListener events) {
        return events.lines("client", OutputStream.STDOUT).stream()
                .filter(l -> l.startsWith("ok echo ") || l.startsWith("FAIL echo ")).toList();
    }
}
