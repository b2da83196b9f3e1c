package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static io.servicescluster.testing.TestClusters.testClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.services.Healthy;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R16 with real processes: readiness gates dependents, failures crash, probes run inside the container. */
class HealthCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration FAST = Duration.ofMillis(200);

    @TempDir
    Path state;

    @Test
    void aDependentStartsOnlyOnceItsDependencyIsHealthy() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("ready").service(healthy("db").setting("ownCheck", "true"))
                .service(idle("api").dependsOn("db")).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            // db's start returned ("started"), its check fails: it stays starting, and api waits (R6)
            await().atMost(WAIT).until(() -> events.output().stream().anyMatch(l -> l.contains("started")));
            await().atMost(WAIT).until(() -> manager.status("db").health().equals(Optional.of("starting")));
            assertThat(manager.status("db").state()).isEqualTo(ServiceState.STARTING);
            assertThat(manager.status("api").state()).isNotIn(ServiceState.STARTING, ServiceState.RUNNING);

            Files.createFile(workDir("db").resolve("ready"));
            manager.awaitRunning(WAIT);
            assertThat(manager.status("db").health()).hasValue("healthy");
            assertThat(order(events)).containsSubsequence("db:starting", "db:running", "api:starting", "api:running");
        }
    }

    @Test
    void failingChecksCrashARunningServiceItsDependentsCloseAndItComesBackWhenHealthy() throws Exception {
        int port = freePort();
        Files.createDirectories(workDir("web"));
        Files.createFile(workDir("web").resolve("ready"));
        ClusterSpec cluster = ClusterSpec.builder("crash-unhealthy")
                .service(healthy("web").setting("httpPort", Integer.toString(port))
                        .health(new HealthSpec(Optional.of(new HealthSpec.Http(URI.create("http://127.0.0.1:" + port
                                + "/health"))), FAST, Duration.ofSeconds(1), 3, Duration.ZERO))
                        .restart(new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 5, Duration.ofSeconds(60),
                                Duration.ofMillis(50))))
                .service(idle("edge").dependsOn("web")).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);

            Files.delete(workDir("web").resolve("ready")); // the health endpoint turns bad
            await().atMost(WAIT).until(() -> has(events, "web", Type.CRASHED));
            List<ServiceEvent> unhealthy = of(events, "web", Type.UNHEALTHY);
            assertThat(unhealthy).extracting(e -> e.details().get("failures")).containsExactly(1, 2, 3);
            assertThat(unhealthy.getLast().detail("detail")).isEqualTo("HTTP 503 from http://127.0.0.1:" + port + "/health");
            assertThat(of(events, "web", Type.CRASHED).getFirst().detail("reason"))
                    .isEqualTo("unhealthy: HTTP 503 from http://127.0.0.1:" + port + "/health");
            // restarted by its policy, but not running again until healthy; edge closed for it (R9)
            await().atMost(WAIT).until(() -> manager.status("web").state() == ServiceState.STARTING
                    && manager.status("web").starts() == 2);
            assertThat(order(events)).containsSubsequence("web:crashed", "edge:closing", "edge:closed");

            Files.createFile(workDir("web").resolve("ready"));
            await().atMost(WAIT).until(() -> manager.status("edge").state() == ServiceState.RUNNING
                    && manager.status("edge").starts() == 2);
            assertThat(order(events)).containsSubsequence("web:crashed", "web:restarting", "web:starting",
                    "web:running", "edge:starting", "edge:running");
        }
        assertThat(ServiceProcesses.remotesOf("web", "edge")).isEmpty();
    }

    @Test
    void aHungServiceIsCaughtByItsOwnCheckLongBeforeItsHeartbeat() throws Exception {
        Files.createDirectories(workDir("stuck"));
        Files.createFile(workDir("stuck").resolve("ready"));
        ClusterSpec cluster = ClusterSpec.builder("hung").service(healthy("stuck").setting("ownCheck", "true")
                .health(new HealthSpec(Optional.empty(), FAST, FAST, 2, Duration.ZERO))).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);

            Files.createFile(workDir("stuck").resolve("jam")); // a worker takes the check's lock for ever
            await().atMost(WAIT).until(() -> has(events, "stuck", Type.CRASHED));
            assertThat(events.output()).anyMatch(l -> l.contains("jammed"));
            // the heartbeat (10 s by default) still flowed: the check saw the hang, not the liveness watch
            assertThat(of(events, "stuck", Type.CRASHED).getFirst().detail("reason"))
                    .startsWith("unhealthy: ").doesNotContain("unresponsive");
            assertThat(of(events, "stuck", Type.UNHEALTHY)).extracting(e -> e.detail("detail"))
                    .allMatch(d -> d.equals("no answer within 200 ms") || d.equals("the previous check has not returned")
                            || d.startsWith("no answer within"));
        }
    }

    @Test
    void aPortThatNeverOpensFailsTheStartAsNotHealthy() throws Exception {
        int port = freePort();
        ClusterSpec cluster = ClusterSpec.builder("never").service(idle("closed-port")
                .health(new HealthSpec(Optional.of(new HealthSpec.Tcp("127.0.0.1", port)), FAST, FAST, 3, Duration.ZERO))
                .startTimeout(Duration.ofSeconds(2))).service(idle("after").dependsOn("closed-port")).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.whenStartupSettled().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            ServiceEvent failed = of(events, "closed-port", Type.FAILED).getFirst();
            assertThat(failed.detail("reason")).startsWith("not healthy: ").contains("Connection refused");
            assertThat(events.events()).noneMatch(e -> e.service().equals("after") && e.type() == Type.STARTING);
        }
    }

    @Test
    void aCommandRunsInTheServicesWorkDirectory() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("command").service(idle("cmd")
                .health(new HealthSpec(Optional.of(new HealthSpec.Command(List.of("sh", "-c", "test -f ready"))), FAST,
                        Duration.ofSeconds(2), 3, Duration.ZERO))).build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            await().atMost(WAIT).until(() -> manager.status("cmd").health().equals(Optional.of("starting")));
            Files.createFile(workDir("cmd").resolve("ready"));
            manager.awaitRunning(WAIT);
        }
    }

    @Test
    void aServiceWithoutNetworkIsCheckedInsideItsSandbox() throws Exception {
        Sandboxes.requireBubblewrap();
        int port = freePort();
        Files.createDirectories(workDir("offline"));
        Files.createFile(workDir("offline").resolve("ready"));
        ClusterSpec cluster = ClusterSpec.builder("offline").service(healthy("offline")
                .setting("httpPort", Integer.toString(port))
                .permissions(new Permissions(Optional.empty(), List.of(), false, false))
                .health(new HealthSpec(Optional.of(new HealthSpec.Http(URI.create("http://127.0.0.1:" + port + "/health"))),
                        FAST, Duration.ofSeconds(1), 3, Duration.ZERO))).build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            // the port is on the service's own loopback, unreachable from here: only a probe inside sees it
            manager.awaitRunning(WAIT);
            assertThat(manager.status("offline").health()).hasValue("healthy");
        }
    }

    private ServiceSpec.Builder healthy(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(Healthy.class.getName(), testClasses()));
    }

    private Path workDir(String service) {
        return state.resolve("work").resolve(service);
    }

    private static List<String> order(RecordingListener events) {
        return events.events().stream().map(e -> e.service() + ":" + e.type().wireName()).toList();
    }

    private static List<ServiceEvent> of(RecordingListener events, String service, Type type) {
        return events.events().stream().filter(e -> e.service().equals(service) && e.type() == type).toList();
    }

    private static boolean has(RecordingListener events, String service, Type type) {
        return !of(events, service, type).isEmpty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
