package io.servicescluster.core.manager;

import static io.servicescluster.testing.Sandboxes.probe;
import static io.servicescluster.testing.Sandboxes.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.container.process.ProcessContainerFactory;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.TestClusters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R15 with a real bubblewrap sandbox: network and file permissions are enforced by the process
 * container, not by the service's good manners; each probe service reports what it could do.
 */
class SandboxPermissionsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path state;

    /** Paths of files.read and files.write: outside the state folder, which a sandbox hides. */
    @TempDir
    Path files;

    @BeforeEach
    void needsBubblewrap() {
        Sandboxes.requireBubblewrap();
    }

    @Test
    void withoutNetworkAServiceCannotReachLoopbackTcpButStillRunsAndReachesItsDependency() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket ignored = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            String target = "127.0.0.1:" + server.getLocalPort();
            ClusterSpec cluster = ClusterSpec.builder("offline")
                    .service(probe("store").setting("serveData", "true"))
                    .service(probe("bystander"))
                    .service(probe("offline").dependsOn("store")
                            .permissions(new Permissions(Optional.empty(), List.of(), false, false))
                            .setting("tcp", target).setting("dependencyData", "store"))
                    // a dependent gives "offline" a data socket of its own, through which it finds the run folder
                    .service(probe("offline-watcher").dependsOn("offline"))
                    .service(probe("online").permissions(new Permissions(Optional.empty(), List.of(files.resolve("out")),
                            true, false)).setting("tcp", target))
                    .build();
            RecordingListener events = new RecordingListener();
            try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
                manager.start();
                manager.awaitRunning(TIMEOUT);
                Map<String, String> offline = report(state, "offline");
                System.out.println("offline reports " + offline);
                assertThat(offline.get("tcp " + target)).as("offline: %s", offline).startsWith("failed");
                assertThat(offline.get("data store")).as("offline: %s", offline).startsWith("ok connected to");
                assertThat(report(state, "online").get("tcp " + target)).startsWith("ok");
                assertThat(accepted.get()).as("connections that reached the test's server").isEqualTo(1);

                // the offline service sees its own socket folder and its dependency's, nothing else of the
                // run folder (its control channel is a pair of pipes, not a socket there)
                Path runDir = manager.runDirectory();
                assertThat(visibleInSandbox(manager, "offline", runDir)).containsExactly("offline", "store");
            }
            assertThat(events.historyOf("offline")).containsSubsequence("running", "closing", "closed", "destroyed");
            assertThat(events.first("offline", Type.CLOSED).orElseThrow().details()).doesNotContainKey("error");
        }
    }

    /**
     * A {@code files.write} folder two services declare is writable by both, each as its own user
     * under a root manager (the folder is made for the cluster's group, issue 18); one that exists
     * and is not theirs is left as it is.
     */
    @Test
    void aWriteFolderTwoServicesDeclareIsWritableByBoth() throws Exception {
        Path shared = files.resolve("shared").resolve("inbox");
        Path existing = Files.createDirectories(files.resolve("existing"));
        ClusterSpec cluster = ClusterSpec.builder("sharing")
                .service(probe("one").permissions(new Permissions(Optional.empty(), List.of(shared, existing), true,
                        false)).setting("write", shared.resolve("one.txt").toString()))
                .service(probe("two").permissions(new Permissions(Optional.empty(), List.of(shared), true, false))
                        .setting("write", shared.resolve("two.txt").toString()))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(report(state, "one").get("write " + shared.resolve("one.txt"))).startsWith("ok");
            assertThat(report(state, "two").get("write " + shared.resolve("two.txt"))).startsWith("ok");
        }
        if (Sandboxes.managerIsRoot()) {
            int one = (Integer) Files.getAttribute(shared.resolve("one.txt"), "unix:uid");
            int two = (Integer) Files.getAttribute(shared.resolve("two.txt"), "unix:uid");
            assertThat(one).isNotEqualTo(two).isNotZero();
            assertThat((Integer) Files.getAttribute(shared, "unix:uid")).isIn(one, two);
            assertThat(Files.getAttribute(shared.resolve("one.txt"), "unix:gid"))
                    .isEqualTo(Files.getAttribute(shared.resolve("two.txt"), "unix:gid"));
            // the folder the test made is still the test's: a cluster file never takes one from its owner
            assertThat((Integer) Files.getAttribute(existing, "unix:uid")).isZero();
        }
    }

    /**
     * A state folder reached through a link (the cluster file's folder as typed: {@code
     * /link/cluster.yaml}) is hidden by its real path: another service's work directory stays out of
     * sight whichever path a service tries.
     */
    @Test
    void aStateFolderGivenThroughALinkIsHiddenAtItsRealPath() throws Exception {
        // outside /tmp, whose own tmpfs would hide it anyway
        Path real = Files.createTempDirectory(Path.of("/var/tmp"), "svc-linked-state-");
        try {
            Files.setPosixFilePermissions(real, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path link = Files.createSymbolicLink(files.resolve("link"), real);
            Path linkedState = link.resolve("state");
            Path otherWork = Files.createDirectories(ServiceProcesses.workDir(real.resolve("state"), "other"));
            Files.writeString(otherWork.resolve("secret.txt"), "secret");
            Path throughLink = ServiceProcesses.workDir(linkedState, "other").resolve("secret.txt");
            ClusterSpec cluster = ClusterSpec.builder("linked")
                    .service(probe("other"))
                    .service(probe("reader").setting("read", String.join(",", otherWork.resolve("secret.txt").toString(),
                            throughLink.toString())))
                    .build();
            try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(linkedState).build()) {
                manager.start();
                manager.awaitRunning(TIMEOUT);
                Map<String, String> reader = report(linkedState, "reader");
                assertThat(reader.get("read " + otherWork.resolve("secret.txt"))).as("%s", reader)
                        .startsWith("failed java.nio.file.NoSuchFileException");
                assertThat(reader.get("read " + throughLink)).as("%s", reader).startsWith("failed");
            }
        } finally {
            try (var all = Files.walk(real)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What the sandboxed {@code service} sees in {@code folder}: looked at through its root in /proc. */
    private static List<String> visibleInSandbox(ServicesManager manager, String service, Path folder) throws IOException {
        long pid = manager.status(service).pid().orElseThrow();
        Path root = Path.of("/proc", Long.toString(pid), "root");
        try (var entries = Files.list(root.resolve(folder.toString().substring(1)))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesAreReadOnlyOutsideTheWorkDirectoryAndWritePathsAndOtherServicesAreInvisible() throws Exception {
        Path shared = files.resolve("shared"); // made by the manager, for the service's own user
        Path readable = Files.createDirectories(files.resolve("readable"));
        Files.writeString(readable.resolve("a.txt"), "visible");
        // "outside" must be a host folder that is not under /tmp: a sandboxed service has a
        // private /tmp, where a write succeeds harmlessly and host files are invisible anyway
        Path target = Files.createTempDirectory(Path.of("/var/tmp"), "svc-sandbox-test-");
        // readable by others, as host files are: under a root manager a service is a user of its own
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String unique = UUID.randomUUID().toString();
        Path escape = target.resolve("sandbox-escape-" + unique + ".txt");
        Path hostFile = Files.writeString(target.resolve("sandbox-host-" + unique + ".txt"), "host");
        Path otherWork = Files.createDirectories(ServiceProcesses.workDir(state, "other"));
        Files.writeString(otherWork.resolve("secret.txt"), "secret");
        Path writerWork = ServiceProcesses.workDir(state, "writer");
        Path readerWork = ServiceProcesses.workDir(state, "reader");
        try {
            ClusterSpec cluster = ClusterSpec.builder("files")
                    .service(probe("other"))
                    .service(probe("writer").permissions(new Permissions(Optional.empty(), List.of(shared), true, false))
                            .setting("write", String.join(",", writerWork.resolve("own.txt").toString(),
                                    shared.resolve("w.txt").toString(), escape.toString(),
                                    otherWork.resolve("hijack.txt").toString()))
                            .setting("read", String.join(",", hostFile.toString(),
                                    otherWork.resolve("secret.txt").toString())))
                    .service(probe("reader").permissions(new Permissions(Optional.of(List.of(readable)), List.of(), true,
                                    false))
                            .setting("read", String.join(",", readable.resolve("a.txt").toString(), hostFile.toString(),
                                    otherWork.resolve("secret.txt").toString()))
                            .setting("write", String.join(",", readable.resolve("x.txt").toString(),
                                    readerWork.resolve("own.txt").toString())))
                    // a write path that is the state folder uncovers nothing of it: not even itself
                    // (logs, events, work directories: issue 18)
                    .service(probe("broad").permissions(new Permissions(Optional.empty(), List.of(state), true, false))
                            .setting("write", state.resolve("broad.txt").toString())
                            .setting("read", otherWork.resolve("secret.txt").toString()))
                    .build();
            try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
                manager.start();
                manager.awaitRunning(TIMEOUT);
                Map<String, String> writer = report(state, "writer");
                System.out.println("writer reports " + writer);
                assertThat(writer.get("write " + writerWork.resolve("own.txt"))).as("%s", writer).startsWith("ok");
                assertThat(writer.get("write " + shared.resolve("w.txt"))).as("%s", writer).startsWith("ok");
                assertThat(writer.get("write " + escape)).as("%s", writer).contains("Read-only file system");
                assertThat(writer.get("write " + otherWork.resolve("hijack.txt"))).as("%s", writer).startsWith("failed");
                assertThat(writer.get("read " + hostFile)).as("everything else is readable").isEqualTo("ok host");
                assertThat(writer.get("read " + otherWork.resolve("secret.txt"))).as("%s", writer)
                        .startsWith("failed java.nio.file.NoSuchFileException");

                Map<String, String> reader = report(state, "reader");
                System.out.println("reader reports " + reader);
                assertThat(reader.get("read " + readable.resolve("a.txt"))).as("%s", reader).isEqualTo("ok visible");
                assertThat(reader.get("read " + hostFile)).as("%s", reader)
                        .startsWith("failed java.nio.file.NoSuchFileException");
                assertThat(reader.get("read " + otherWork.resolve("secret.txt"))).as("%s", reader)
                        .startsWith("failed java.nio.file.NoSuchFileException");
                assertThat(reader.get("write " + readable.resolve("x.txt"))).as("%s", reader)
                        .contains("Read-only file system");
                assertThat(reader.get("write " + readerWork.resolve("own.txt"))).as("%s", reader).startsWith("ok");
                assertThat(manager.status("reader").restrictions()).containsExactly("files.read [" + readable + "]");

                Map<String, String> broad = report(state, "broad");
                assertThat(broad.get("write " + state.resolve("broad.txt"))).as("%s", broad).startsWith("failed");
                assertThat(broad.get("read " + otherWork.resolve("secret.txt"))).as("%s", broad)
                        .startsWith("failed java.nio.file.NoSuchFileException");
            }
            assertThat(escape).doesNotExist();
            assertThat(otherWork.resolve("hijack.txt")).doesNotExist();
            assertThat(readable.resolve("x.txt")).doesNotExist();
            assertThat(shared.resolve("w.txt")).hasContent("written by writer");
        } finally {
            Files.deleteIfExists(escape);
            Files.deleteIfExists(hostFile);
            Files.deleteIfExists(target);
        }
    }

    @Test
    void aSandboxedServiceClosesCleanlyWhenTheClassDataArchiveDoesNotExistYet(@TempDir Path cache) throws Exception {
        RemoteRuntime runtime = RemoteRuntime.detect(cache); // a fresh cache: no archive, and read-only in a sandbox
        ClusterSpec cluster = ClusterSpec.builder("fresh")
                .service(probe("boxed").permissions(new Permissions(Optional.of(List.of()), List.of(), false, false)))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events)
                .containerFactory(new ProcessContainerFactory(runtime)).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
        }
        assertThat(events.historyOf("boxed")).as("%s %s", events.history(), events.output())
                .containsExactly("created", "starting", "running", "closing", "closed", "destroyed");
        assertThat(events.first("boxed", Type.CLOSED).orElseThrow().details()).isEmpty();
        assertThat(String.join("\n", events.output())).doesNotContain("[cds]");
    }

    @Test
    void theShownPidIsTheSandboxedJvmAndKillingItIsACrash() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("kill")
                .service(probe("boxed").permissions(new Permissions(Optional.empty(), List.of(), false, false)))
                .service(probe("user").dependsOn("boxed"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long pid = manager.status("boxed").pid().orElseThrow();
            assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).getFileName().toString())
                    .isEqualTo("java");
            assertThat(Files.readString(ServiceProcesses.workDir(state, "boxed").resolve("pid")).trim())
                    .as("its own pid namespace").isNotEqualTo(Long.toString(pid));
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            ServiceEvent crashed = events.await("boxed", Type.CRASHED, TIMEOUT);
            assertThat(crashed.detail("reason")).contains("killed by signal 9");
            assertThat(crashed.details()).containsEntry("exitCode", 137);
            events.await("user", Type.CLOSED, TIMEOUT);
            ServiceProcesses.awaitGone(pid);
        }
    }
}
