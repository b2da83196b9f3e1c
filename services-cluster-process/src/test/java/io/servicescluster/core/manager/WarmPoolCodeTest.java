package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.api.Service;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm pool and the service's code: a spare that loaded the service's class before its class
 * path was rebuilt is not used (the restart runs the rebuilt class); a spare never shares the
 * running remote's cgroup, and none is left after the close.
 */
class WarmPoolCodeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;
    @TempDir
    Path classes;
    @TempDir
    Path sources;

    /** Compiles a service class that writes {@code version} to the file 'version' of its work directory at its start. */
    private void compile(String version) throws Exception {
        Path source = sources.resolve("Versioned.java");
        Files.writeString(source, "package stale;\n"
                + "public class Versioned implements io.servicescluster.api.Service {\n"
                + "  public void start(io.servicescluster.api.ServiceContext context) throws Exception {\n"
                + "    java.nio.file.Files.writeString(java.nio.file.Path.of(\"version\"), \"" + version + "\");\n"
                + "  }\n"
                + "}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String api = Path.of(Service.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        int rc = javac.run(null, null, null, "-cp", api, "-d", classes.toString(), source.toString());
        assertThat(rc).isZero();
        // readable by the service's own user (a root manager runs it as one)
        try (var walk = Files.walk(classes)) {
            for (Path p : walk.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /** The memory cgroup of a process, from /proc/PID/cgroup. */
    private static String memoryCgroup(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")).stream()
                .filter(l -> l.matches("\\d+:memory:.*")).findFirst().orElse("?");
    }

    /** The running remote and its spare never share a cgroup, over several restarts; no cgroup is left after the close. */
    @Test
    void theSpareNeverSharesTheRunningRemotesCgroupAndNoneIsLeft() throws Exception {
        io.servicescluster.testing.Sandboxes.requirePidsCgroup();
        ClusterSpec cluster = ClusterSpec.builder("cg").pool(1)
                .service(io.servicescluster.testing.TestClusters.configurable("w")
                        .restart(new io.servicescluster.core.config.RestartPolicy(
                                io.servicescluster.core.config.RestartPolicy.Policy.ON_FAILURE, 10, WAIT, Duration.ZERO))
                        .resources(new io.servicescluster.core.config.Resources(java.util.OptionalLong.of(512L << 20),
                                java.util.OptionalDouble.empty(), java.util.OptionalLong.empty(), java.util.OptionalLong.empty())))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            for (int round = 1; round <= 4; round++) {
                long running = manager.status("w").pid().orElseThrow();
                ProcessHandle spare = await().atMost(WAIT).until(() -> ServiceProcesses.remotesOf("w").stream()
                        .filter(p -> p.pid() != running).findFirst(), java.util.Optional::isPresent).orElseThrow();
                assertThat(memoryCgroup(spare.pid())).as("round %d", round).isNotEqualTo(memoryCgroup(running));
                ProcessHandle.of(running).orElseThrow().destroyForcibly();
                int starts = round + 1;
                await().atMost(WAIT).until(() -> manager.status("w").starts() == starts
                        && manager.status("w").state() == ServiceState.RUNNING);
                assertThat(manager.status("w").pid()).hasValue(spare.pid());
            }
        }
        try (var groups = Files.list(Path.of("/sys/fs/cgroup/memory/services-cluster"))) {
            assertThat(groups.map(Path::toString).filter(g -> g.contains("-" + ProcessHandle.current().pid() + "-")))
                    .as("cgroups left").isEmpty();
        }
    }

    /**
     * A restart runs the class as it is on the classpath at that start (docs/sandbox.md: the
     * classpath "at each start"), not the one the spare loaded when it was launched.
     */
    @Test
    void aRestartRunsTheCodeOnTheClasspathNowNotTheCodeTheSpareLoaded() throws Exception {
        restartAfterRebuild(1);
    }

    /** The same without a pool: the restart launches a JVM, which reads the class path. */
    @Test
    void withoutThePoolARestartRunsTheRebuiltClass() throws Exception {
        restartAfterRebuild(0);
    }

    private void restartAfterRebuild(int pool) throws Exception {
        compile("v1");
        ClusterSpec cluster = ClusterSpec.builder("stale").pool(pool)
                .service(ServiceSpec.builder("w").code(CodeSpec.ofClass("stale.Versioned", classes)))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            Path version = ServiceProcesses.workDir(state, "w").resolve("version");
            assertThat(version).hasContent("v1");
            // the spare is there and has its code (it reported its memory after the code went out)
            if (pool > 0) {
                await().atMost(WAIT).until(() -> manager.status("w").readyRssBytes() > 0);
            }

            compile("v2"); // the developer rebuilt the service
            manager.restart("w");
            await().atMost(WAIT).until(() -> manager.status("w").starts() == 2
                    && manager.status("w").state() == ServiceState.RUNNING);
            assertThat(version).as("the restart runs the rebuilt class").hasContent("v2");
        }
        assertThat(ServiceProcesses.remotesOf("w")).isEmpty();
    }
}
