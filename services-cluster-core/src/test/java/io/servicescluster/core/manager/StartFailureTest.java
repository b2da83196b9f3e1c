package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static io.servicescluster.testing.TestClusters.testClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R12: a start that throws, times out, or cannot load its code fails, and its dependents never start. */
class StartFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path state;

    @Test
    void startThatThrowsFailsWithItsMessageAndItsDependentsNeverStart() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("broken-start")
                .service(configurable("broken").setting("failStart", "no database here"))
                .service(idle("user").dependsOn("broken"))
                .service(idle("deep").dependsOn("user"))
                .service(idle("fine"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT))
                    .isInstanceOf(ServiceFailureException.class)
                    .hasMessageContaining("broken")
                    .hasMessageContaining("no database here");

            ServiceEvent failed = events.first("broken", Type.FAILED).orElseThrow();
            assertThat(failed.detail("reason")).contains("IllegalStateException").contains("no database here");
            assertThat(events.historyOf("broken")).containsExactly("created", "starting", "failed", "closed");
            assertThat(events.historyOf("user")).doesNotContain("starting");
            assertThat(events.historyOf("deep")).doesNotContain("starting");
            assertThat(manager.status("broken").problem()).hasValueSatisfying(p -> assertThat(p).contains("no database here"));
            assertThat(manager.status("user").starts()).isZero();
            assertThat(manager.status("deep").starts()).isZero();
            assertThat(manager.status("fine").state()).isEqualTo(ServiceState.RUNNING);
            ServiceProcesses.awaitGone(ServiceProcesses.pidFile(state, "broken").orElseThrow());
        }
        assertThat(ServiceProcesses.remotesOf("broken", "user", "deep", "fine")).isEmpty();
    }

    @Test
    void startTimeoutFailsTheServiceAndKillsItsProcess() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("slow-start")
                .service(configurable("slow").setting("startMillis", "10000").startTimeout(Duration.ofMillis(500)))
                .service(idle("user").dependsOn("slow"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            ServiceEvent failed = events.await("slow", Type.FAILED, TIMEOUT);
            assertThat(failed.detail("reason")).contains("start timed out after 500ms");
            ServiceEvent starting = events.first("slow", Type.STARTING).orElseThrow();
            assertThat(Duration.between(starting.time(), failed.time())).isLessThan(Duration.ofSeconds(5));
            // the process is killed, not left sleeping in start
            ServiceProcesses.pidFile(state, "slow").ifPresent(ServiceProcesses::awaitGone);
            Awaitility.await().atMost(ServiceProcesses.GONE_WITHIN)
                    .until(() -> ServiceProcesses.remotesOf("slow").isEmpty());
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT)).isInstanceOf(ServiceFailureException.class)
                    .hasMessageContaining("slow");
            assertThat(events.historyOf("user")).doesNotContain("starting");
            assertThat(events.historyOf("slow")).doesNotContain("running");
        }
    }

    @Test
    void compileErrorOfASourceServiceNamesTheSourceAndLine() throws Exception {
        String source = """
                import io.servicescluster.api.*;

                public class Broken implements Service {
                    public void start(ServiceContext context) {
                        int port = "not a number";
                    }
                }
                """;
        ClusterSpec cluster = ClusterSpec.builder("bad-source")
                .service(ServiceSpec.builder("compiled").code(new CodeSpec.SourceCode(source, "Broken.java")))
                .service(idle("user").dependsOn("compiled"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.whenStartupSettled().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ServiceEvent failed = events.first("compiled", Type.FAILED).orElseThrow();
            assertThat(failed.detail("reason"))
                    .contains("Broken.java:5: error:")
                    .contains("incompatible types")
                    .contains("int port = \"not a number\";");
            assertThat(events.historyOf("user")).doesNotContain("starting");
        }
        assertThat(ServiceProcesses.remotesOf("compiled", "user")).isEmpty();
    }

    @Test
    void missingClassFailsNamingTheClass() throws Exception {
        String missing = "io.servicescluster.testing.services.NoSuchService";
        ClusterSpec cluster = ClusterSpec.builder("missing-class")
                .service(ServiceSpec.builder("ghost").code(CodeSpec.ofClass(missing, testClasses())))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            assertThatThrownBy(() -> manager.awaitRunning(TIMEOUT)).isInstanceOf(ServiceFailureException.class)
                    .hasMessageContaining("ghost")
                    .hasMessageContaining(missing);
            assertThat(events.first("ghost", Type.FAILED).orElseThrow().detail("reason"))
                    .contains(missing).contains("not found");
        }
        assertThat(ServiceProcesses.remotesOf("ghost")).isEmpty();
    }
}
