package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.compile.ServiceSourceBounds;
import io.servicescluster.core.compile.SourceCompilations;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.SpawningParent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child's source is written by its parent, a service that may be hostile (issue 18): the
 * manager refuses it above its size and compiles it in a confined, bounded process of its own, so
 * that neither a huge source nor one that keeps javac busy for minutes reaches the manager. Real
 * processes: the parent ({@link SpawningParent}) spawns the children, the compiler is a JVM in
 * the process kind's sandbox.
 */
class ChildSourceBoundsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMPILE_BOUND = Duration.ofSeconds(4);
    private static final Permissions MAY_SPAWN = new Permissions(Optional.empty(), List.of(), true, true);

    @TempDir
    Path state;

    private final RecordingListener events = new RecordingListener();
    private SourceCompilations compilations;

    /** A manager whose sources sent by services are compiled within {@code bounds}, into a cache of its own. */
    private ServicesManager manager(ServiceSourceBounds bounds, ServiceSpec.Builder... services) {
        ClusterSpec.Builder cluster = ClusterSpec.builder("bounds");
        for (ServiceSpec.Builder service : services) {
            cluster.service(service);
        }
        compilations = SourceCompilations.in(state.resolve("classes"), SourceCompilations.DEFAULT_MAX_BYTES,
                bounds);
        return ServicesManager.builder(cluster.build()).stateDir(state.resolve("svc")).listener(events)
                .compilations(compilations).build();
    }

    private static ServiceSpec.Builder parent(String name, String children) {
        return ServiceSpec.builder(name).setting("spawn", children).permissions(MAY_SPAWN)
                .code(CodeSpec.ofClass(SpawningParent.class.getName(), TestClusters.testClasses()));
    }

    @Test
    void anOversizedChildSourceIsRefusedAndParentManagerAndANormalChildRunOn() throws Exception {
        // the default bounds: the normal child's compile must not meet a short deadline on a loaded machine
        try (ServicesManager manager = manager(ServiceSourceBounds.DEFAULT,
                parent("parent", "big:big,scribe:source"))) {
            manager.start();
            manager.awaitRunning(TIMEOUT);

            assertThat(result("parent", "spawn#0")).startsWith("big error:").contains("child 'big' failed to start",
                    "spawned big: refused: its source is 1573302 bytes, more than the 1048576 bytes a service may send"
                    + " to be compiled (docs/security.md)");
            assertThat(events.historyOf("big")).contains("failed");
            assertThat(events.first("big", Type.FAILED).orElseThrow().details().get("reason").toString())
                    .contains("refused: its source is");
            // a normal child source compiles (in a process of its own) and runs
            assertThat(result("parent", "spawn#1")).isEqualTo("scribe echo:scribe says hello scribe");
            assertThat(compilations.compilationsFromServices()).isEqualTo(1);
            assertThat(manager.status("parent").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("scribe").state()).isEqualTo(ServiceState.RUNNING);
        }
    }

    @Test
    void aChildSourceThatKeepsJavacBusyFailsAtTheBoundWhileTheManagerServesOn() throws Exception {
        try (ServicesManager manager = manager(ServiceSourceBounds.DEFAULT.withTimeout(COMPILE_BOUND),
                parent("parent", "bomb:bomb,worker:class").setting("parallel", "true"),
                TestClusters.idle("bystander"))) {
            manager.start();
            manager.awaitRunning(TIMEOUT);

            ProcessHandle compiler = await("the compiler of bomb").atMost(TIMEOUT)
                    .until(ChildSourceBoundsTest::compilerProcess, Optional::isPresent).orElseThrow();
            long seen = System.nanoTime();
            confined(compiler);
            // while javac works on the bomb: the manager answers, another child starts and answers its parent
            long before = System.nanoTime();
            assertThat(manager.status()).extracting(ServiceStatus::name).contains("parent", "bystander", "bomb");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(1000);
            assertThat(result("parent", "spawn#1")).isEqualTo("worker echo:hello worker");
            assertThat(compiler.isAlive()).as("the bomb still compiles").isTrue();

            assertThat(result("parent", "spawn#0")).startsWith("bomb error:").contains("child 'bomb' failed to start",
                    "compiling spawned bomb abandoned: javac was still at work after 4000 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - seen))
                    .isLessThan(COMPILE_BOUND.toMillis() + 10_000);
            await().atMost(TIMEOUT).until(() -> compilerProcess().isEmpty());
            assertThat(events.first("bomb", Type.FAILED)).isPresent();
            assertThat(manager.status("parent").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("bystander").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(events.historyOf("bystander")).containsExactly("created", "starting", "running");
        }
    }

    @Test
    void closingTheManagerWhileAChildsSourceCompilesEndsTheCompiler() throws Exception {
        ProcessHandle compiler;
        // a compile deadline far beyond the child's start timeout (30 s), which the close waits for
        try (ServicesManager manager = manager(ServiceSourceBounds.DEFAULT.withTimeout(Duration.ofSeconds(120)),
                parent("parent", "bomb:bomb"))) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            compiler = await("the compiler of bomb").atMost(TIMEOUT)
                    .until(ChildSourceBoundsTest::compilerProcess, Optional::isPresent).orElseThrow();
        }
        // its deadline is still far: it ends because nobody wants its answer any more
        await("the compiler's end").atMost(Duration.ofSeconds(10)).until(() -> !compiler.isAlive());
    }

    /** The JVM that compiles a child's source ({@code CompilerMain}), among this test's descendants (not its bwrap). */
    private static Optional<ProcessHandle> compilerProcess() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .filter(p -> p.info().commandLine().orElse("").contains("io.servicescluster.core.compile.CompilerMain"))
                .findFirst();
    }

    /**
     * Asserts that {@code compiler} runs in the process kind's sandbox: no capability, no new
     * privileges, pid and network namespaces of its own, {@code nobody} under a root manager.
     */
    private static void confined(ProcessHandle compiler) throws Exception {
        Sandboxes.requireBubblewrap();
        Path proc = Path.of("/proc", Long.toString(compiler.pid()));
        List<String> status = Files.readAllLines(proc.resolve("status"));
        assertThat(status).contains("CapEff:\t0000000000000000").anyMatch(l -> l.matches("NoNewPrivs:\\s+1"));
        if (Sandboxes.managerIsRoot()) {
            assertThat(status).anyMatch(l -> l.matches("Uid:\\s+65534\\s.*"));
        }
        for (String namespace : List.of("pid", "net")) {
            assertThat(Files.readSymbolicLink(proc.resolve("ns").resolve(namespace)))
                    .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns", namespace)));
        }
        assertThat(compiler.info().commandLine().orElseThrow()).contains("-Xmx256m");
    }

    private String result(String service, String scenario) {
        String prefix = "ok " + scenario + " ";
        await(scenario + " of " + service).atMost(TIMEOUT).until(() -> events.lines(service, OutputStream.STDOUT)
                .stream().anyMatch(l -> l.startsWith(prefix)));
        return events.lines(service, OutputStream.STDOUT).stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow().substring(prefix.length());
    }
}
