package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.compile.SourceCompilations;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.SpawningParent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Services shipped as Java source strings, compiled once by the manager; their remotes only define the classes. */
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

    /**
     * Source services and a child spawned from source (R8) run from classes the manager compiled:
     * the first run compiles each source once, into the cache; the next manager of the cluster
     * compiles nothing and its services still run. The compiler counts what it compiled.
     */
    @Test
    void sourcesAreCompiledOnceByTheManagerAndTheNextRunReadsTheCache() throws Exception {
        Path cache = state.resolve("class-cache");
        ClusterSpec cluster = ClusterSpec.builder("compiled-once")
                .service(ServiceSpec.builder("a").code(new CodeSpec.SourceCode(printing("A", "from a"), "A.java")))
                .service(ServiceSpec.builder("b").code(new CodeSpec.SourceCode(printing("B", "from b"), "B.java")))
                .service(ServiceSpec.builder("parent").setting("spawn", "scribe:source")
                        .permissions(new Permissions(Optional.empty(), List.of(), true, true))
                        .code(CodeSpec.ofClass(SpawningParent.class.getName(), TestClusters.testClasses())))
                .build();
        SourceCompilations first = SourceCompilations.in(cache, SourceCompilations.DEFAULT_MAX_BYTES);
        runOnce(cluster, first, "run-1");
        assertThat(first.compilations()).isEqualTo(3); // a, b and the spawned scribe
        assertThat(first.cacheEntry(SpawningParent.CHILD_SOURCE, List.of(TestClusters.testClasses()))).exists();

        SourceCompilations second = SourceCompilations.in(cache, SourceCompilations.DEFAULT_MAX_BYTES);
        runOnce(cluster, second, "run-2");
        assertThat(second.compilations()).isZero();
    }

    private void runOnce(ClusterSpec cluster, SourceCompilations compilations, String run) throws Exception {
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state.resolve(run)).listener(events)
                .compilations(compilations).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            Awaitility.await().atMost(TIMEOUT).until(() -> events.lines("a", OutputStream.STDOUT).contains("from a")
                    && events.lines("b", OutputStream.STDOUT).contains("from b")
                    && events.lines("parent", OutputStream.STDOUT).stream().anyMatch(l -> l.contains("scribe echo:")));
        }
    }

    private static String printing(String className, String line) {
        return """
                import io.servicescluster.api.*;

                public class %s implements Service {
                    public void start(ServiceContext context) {
                        System.out.println("%s");
                    }
                }
                """.formatted(className, line);
    }
}
