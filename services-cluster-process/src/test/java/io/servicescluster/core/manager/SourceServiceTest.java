package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Services shipped as Java source strings, compiled inside their container. */
class SourceServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path state;

    @Test
    void sourceServiceCompilesAndRunsWithItsSettings() throws Exception {
        String source = """
                package demo;

                import io.servicescluster.api.*;
                import java.nio.file.Files;

                public class Greeter implements Service {
                    public void start(ServiceContext context) throws Exception {
                        String greeting = context.settings().get("greeting") + " from " + context.name();
                        Files.writeString(context.workDir().resolve("greeting.txt"), greeting);
                        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
                        System.out.println(greeting);
                    }
                }
                """;
        ClusterSpec cluster = ClusterSpec.builder("source")
                .service(ServiceSpec.builder("greeter").code(new CodeSpec.SourceCode(source, "Greeter.java"))
                        .setting("greeting", "hello"))
                .build();
        RecordingListener events = new RecordingListener();
        long pid;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            Awaitility.await().atMost(TIMEOUT)
                    .until(() -> events.lines("greeter", OutputStream.STDOUT).contains("hello from greeter"));
            assertThat(Files.readString(ServiceProcesses.workDir(state, "greeter").resolve("greeting.txt")))
                    .isEqualTo("hello from greeter");
            pid = manager.status("greeter").pid().orElseThrow();
            assertThat(ServiceProcesses.pidFile(state, "greeter")).hasValue(pid);
        }
        assertThat(events.historyOf("greeter")).containsExactly("created", "starting", "running", "closing", "closed",
                "destroyed");
        assertThat(ServiceProcesses.alive(pid)).isFalse();
    }

    @Test
    void closeThatThrowsGivesTheClosedEventAnErrorAndOrderHolds() throws Exception {
        String source = """
                import io.servicescluster.api.*;

                public class Leaky implements Service {
                    public void start(ServiceContext context) {
                    }

                    public void close() {
                        throw new IllegalStateException("cannot flush the journal");
                    }
                }
                """;
        ClusterSpec cluster = ClusterSpec.builder("source-close")
                .service(idle("store"))
                .service(ServiceSpec.builder("leaky").dependsOn("store")
                        .code(new CodeSpec.SourceCode(source, "Leaky.java")))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
        }
        ServiceEvent closed = events.first("leaky", Type.CLOSED).orElseThrow();
        assertThat(closed.detail("error")).contains("IllegalStateException").contains("cannot flush the journal");
        assertThat(events.historyOf("leaky")).doesNotContain("crashed", "failed");
        assertThat(events.seqOf("leaky", Type.CLOSED)).isLessThan(events.seqOf("store", Type.CLOSING));
        assertThat(ServiceProcesses.remotesOf("leaky", "store")).isEmpty();
    }
}
