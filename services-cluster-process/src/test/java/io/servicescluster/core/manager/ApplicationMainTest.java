package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static io.servicescluster.testing.TestClusters.testClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static io.servicescluster.protocol.ControlMessage.OutputStream.STDOUT;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.apps.ExitingApp;
import io.servicescluster.testing.apps.JettyHealthApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.h2.tools.Console;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * Existing applications run unmodified with {@code code.main} and {@code code.jar} (SPEC §4) in real
 * processes: a Jetty 12 server health-checked over HTTP, the H2 database's TCP server surviving
 * {@code kill -9}, {@code System.exit}, shutdown hooks on close, and {@code env}.
 */
class ApplicationMainTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration FAST = Duration.ofMillis(200);
    private static final RestartPolicy ON_FAILURE = new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 5,
            Duration.ofSeconds(60), Duration.ofMillis(50));

    @TempDir
    Path state;

    @Test
    void aJettyMainIsRunningOnlyOnceHealthyAndAFailingHealthCrashesRestartsAndBringsItsDependentBack()
            throws Exception {
        int port = freePort();
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        ClusterSpec cluster = ClusterSpec.builder("jetty")
                .service(ServiceSpec.builder("web")
                        .code(CodeSpec.ofMain(JettyHealthApp.class.getName(), List.of(Integer.toString(port)),
                                testClasses(), jarOf(Server.class), jarOf(HttpField.class), jarOf(EndPoint.class),
                                jarOf(Callback.class), jarOf(Logger.class)))
                        .health(new HealthSpec(Optional.of(new HealthSpec.Http(health)), FAST, Duration.ofSeconds(1),
                                3, Duration.ZERO))
                        .restart(ON_FAILURE))
                .service(idle("edge").dependsOn("web")).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            assertThat(manager.status("web").health()).hasValue("healthy");
            assertThat(events.lines("web", STDOUT))
                    .contains("jetty app: serving on " + port);
            assertThat(events.history()).containsSubsequence("web:starting", "web:running", "edge:starting",
                    "edge:running");

            Files.createFile(workDir("web").resolve("sick")); // its health endpoint turns bad
            events.await("web", Type.CRASHED, WAIT);
            Files.delete(workDir("web").resolve("sick"));
            assertThat(of(events, "web", Type.UNHEALTHY)).extracting(e -> e.details().get("failures"))
                    .containsExactly(1, 2, 3);
            assertThat(events.first("web", Type.CRASHED).orElseThrow().detail("reason"))
                    .isEqualTo("unhealthy: HTTP 503 from " + health);

            await().atMost(WAIT).until(() -> events.history().stream().filter(h -> h.equals("edge:running")).count() == 2);
            assertThat(manager.status("web").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(events.history()).containsSubsequence("web:crashed", "web:restarting", "edge:closed",
                    "web:starting", "web:running", "edge:starting", "edge:running");
        }
        // closed as on SIGTERM: Jetty's hooks ran, the close was orderly, not killed
        assertThat(events.lines("web", STDOUT))
                .contains("jetty app: shutting down");
        assertThat(of(events, "web", Type.CLOSED).getLast().details()).doesNotContainKey("reason");
    }

    @Test
    void anH2TcpServerKeepsTheRowsCommittedInItsWorkDirAcrossAKill9() throws Exception {
        int port = freePort();
        ClusterSpec cluster = ClusterSpec.builder("h2")
                .service(ServiceSpec.builder("db")
                        // the jar's own Main-Class is the console (no -ifNotExists): its TCP server's main
                        .code(CodeSpec.ofMain(org.h2.tools.Server.class.getName(), List.of("-tcp", "-tcpPort",
                                Integer.toString(port), "-baseDir", ".", "-ifNotExists"), jarOf(Console.class)))
                        .health(new HealthSpec(Optional.of(new HealthSpec.Tcp("127.0.0.1", port)), FAST,
                                Duration.ofSeconds(1), 3, Duration.ZERO))
                        .restart(ON_FAILURE))
                .build();
        RecordingListener events = new RecordingListener();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/shop";
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            try (Connection connection = DriverManager.getConnection(url, "sa", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("create table orders (id int primary key, item varchar(40))");
                statement.execute("insert into orders values (1, 'fig'), (2, 'plum')");
            } // auto-commit: both rows are committed
            assertThat(workDir("db").resolve("shop.mv.db")).exists();

            long pid = manager.status("db").pid().orElseThrow();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9
            assertThat(events.await("db", Type.CRASHED, WAIT).details()).containsEntry("exitCode", 137);
            await().atMost(WAIT).until(() -> manager.status("db").state() == ServiceState.RUNNING
                    && manager.status("db").pid().orElse(pid) != pid);

            try (Connection connection = DriverManager.getConnection(url, "sa", "");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select item from orders order by id")) {
                List<String> items = new ArrayList<>();
                while (rows.next()) {
                    items.add(rows.getString(1));
                }
                assertThat(items).containsExactly("fig", "plum");
            }
        }
    }

    @Test
    void systemExitIsAnExitLikeAnyOtherAndEnvReachesTheApplication() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("exits")
                .service(exiting("zero")).service(exiting("three")).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            assertThat(events.lines("zero", STDOUT))
                    .contains("GREETING=hello zero");

            exit("zero", 0);
            assertThat(events.await("zero", Type.CLOSED, WAIT).detail("reason")).isEqualTo("exited of its own accord");
            exit("three", 3);
            ServiceEvent crashed = events.await("three", Type.CRASHED, WAIT);
            assertThat(crashed.details()).containsEntry("exitCode", 3).containsEntry("reason",
                    "process exited with code 3");
            // what it printed just before System.exit was not lost, and its hooks ran
            assertThat(events.lines("three", STDOUT))
                    .contains("exiting with 3");
            assertThat(workDir("three").resolve("hook-ran")).exists();
        }
    }

    private ServiceSpec.Builder exiting(String name) {
        return ServiceSpec.builder(name).env("GREETING", "hello " + name)
                .code(CodeSpec.ofMain(ExitingApp.class.getName(), List.of("GREETING"), testClasses()));
    }

    /** Tells an {@link ExitingApp} to exit with {@code status}: the file appears whole, never half-written. */
    private void exit(String service, int status) throws IOException {
        Path temp = workDir(service).resolve("exit.tmp");
        Files.writeString(temp, Integer.toString(status));
        Files.move(temp, workDir(service).resolve("exit"), StandardCopyOption.ATOMIC_MOVE);
    }

    private Path workDir(String service) {
        return state.resolve("work").resolve(service);
    }

    /** The jar on the test class path that holds {@code type}: a real artifact from Maven Central. */
    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<ServiceEvent> of(RecordingListener events, String service, Type type) {
        return events.events().stream().filter(e -> e.service().equals(service) && e.type() == type).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
