package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.JvmOptions;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.JvmProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's JVM in real child JVMs (issue 11 items 3 and 6): the default heap bound, the
 * options of {@code jvm.options} (a property, another collector beside the runtime's AOT cache),
 * a {@code lib/*} classpath of real jars (sandboxed too), and a start that names a missing entry.
 */
class ServiceJvmTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path state;
    @TempDir
    Path app;

    @Test
    void aServiceWithoutMemoryLimitGetsTheDefaultHeapBound() throws Exception {
        Map<String, String> report = run(probe(TestClusters.testClasses()));
        long maxHeap = Long.parseLong(report.get("maxHeap"));
        // the JVM reports the bound less one survivor space
        assertThat(maxHeap).isLessThanOrEqualTo(JvmOptions.DEFAULT_MAX_HEAP_BYTES)
                .isGreaterThan(JvmOptions.DEFAULT_MAX_HEAP_BYTES * 3 / 4);
    }

    @Test
    void jvmOptionsReachTheJvmAndAnotherCollectorStartsBesideTheAotCache() throws Exception {
        Map<String, String> report = run(probe(TestClusters.testClasses())
                .jvmOptions("-Dprobe=from-options", "-XX:+UseZGC", "-Xmx64m"));
        assertThat(report).containsEntry("probe", "from-options");
        assertThat(report.get("gc")).contains("ZGC");
        assertThat(Long.parseLong(report.get("maxHeap"))).isEqualTo(64L << 20);
    }

    @Test
    void aWildcardClasspathHasEveryJarOfItsFolder() throws Exception {
        Path lib = libWithProbeJar();
        Map<String, String> report = run(probe(lib.resolve("*")));
        assertThat(report.get("codeSource")).endsWith("/lib/probe.jar");
    }

    @Test
    void aWildcardClasspathIsVisibleInTheSandbox() throws Exception {
        Sandboxes.requireBubblewrap();
        Path lib = libWithProbeJar();
        Map<String, String> report = run(probe(lib.resolve("*"))
                .permissions(new Permissions(Optional.of(List.of()), List.of(), false, false)));
        assertThat(report.get("codeSource")).endsWith("/lib/probe.jar");
    }

    @Test
    void aMissingClasspathEntryFailsTheStartNamingIt() throws Exception {
        Path missing = app.resolve("lib/h2.jar");
        Path empty = Files.createDirectories(app.resolve("empty"));
        RecordingListener events = start(ClusterSpec.builder("missing")
                .service(ServiceSpec.builder("jar").code(CodeSpec.ofClass(JvmProbe.class.getName(),
                        TestClusters.testClasses(), missing)))
                .service(ServiceSpec.builder("folder").code(CodeSpec.ofClass(JvmProbe.class.getName(),
                        empty.resolve("*"))))
                .build());
        assertThat(events.first("jar", Type.FAILED).orElseThrow().details().get("reason").toString())
                .contains(missing + " does not exist");
        assertThat(events.first("folder", Type.FAILED).orElseThrow().details().get("reason").toString())
                .contains(empty.resolve("*") + " matches no jar");
    }

    private static ServiceSpec.Builder probe(Path... classpath) {
        return ServiceSpec.builder("probe").code(CodeSpec.ofClass(JvmProbe.class.getName(), classpath));
    }

    /** {@code APP/lib} with {@code probe.jar} (the probe's class), a non-jar file and a jar in a sub-folder. */
    private Path libWithProbeJar() throws IOException {
        Path lib = Files.createDirectories(app.resolve("lib"));
        String entry = JvmProbe.class.getName().replace('.', '/') + ".class";
        try (var jar = new JarOutputStream(Files.newOutputStream(lib.resolve("probe.jar")))) {
            jar.putNextEntry(new ZipEntry(entry));
            jar.write(Files.readAllBytes(TestClusters.testClasses().resolve(entry)));
        }
        Files.writeString(lib.resolve("README.txt"), "not a jar");
        Files.createDirectories(lib.resolve("nested"));
        Files.copy(lib.resolve("probe.jar"), lib.resolve("nested/other.jar"));
        return lib;
    }

    /** Runs {@code probe} until it printed its report, which it returns as a map. */
    private Map<String, String> run(ServiceSpec.Builder probe) throws Exception {
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(ClusterSpec.builder("jvm").service(probe).build())
                .stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            Awaitility.await().atMost(TIMEOUT).until(() -> events.lines("probe", OutputStream.STDOUT).size() >= 4);
        }
        return events.lines("probe", OutputStream.STDOUT).stream().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    }

    private RecordingListener start(ClusterSpec cluster) throws Exception {
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.whenIdle().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        return events;
    }
}
