package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.DataKeeper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandboxed service that writes outside {@code files.write} (issue: its data "saved" into a
 * private {@code /tmp} and gone at the close, without a word). Now no host-looking path lands
 * anywhere private: {@code /tmp} is the host's, read-only like the rest, so the write fails, and
 * the failure reaches the user naming the path and "not in permissions.files.write of SERVICE".
 * The service's scratch space is its own folder, its {@code java.io.tmpdir} and {@code TMPDIR}.
 */
class SandboxWritesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path state;

    /** The paths of files.read and files.write: outside the state folder, which a sandbox hides. */
    @TempDir
    Path files;
    /** A folder under the host's /tmp that a misconfigured service is told to keep its data in. */
    private Path hostData;

    @BeforeEach
    void setUp() {
        Sandboxes.requireBubblewrap();
        hostData = Path.of("/tmp", "svc-sandbox-writes-" + UUID.randomUUID(), "data");
    }

    @AfterEach
    void removeHostData() throws IOException {
        Files.deleteIfExists(hostData.resolve("data.txt"));
        Files.deleteIfExists(hostData);
        Files.deleteIfExists(hostData.getParent());
    }

    @Test
    void aWriteUnderTmpOutsideFilesWriteFailsLoudlyAndNamesThePathAndTheService() throws Exception {
        RecordingListener events = run(keeper("keeper", Optional.empty()).setting("dataDir", hostData.toString()));

        List<String> stderr = events.lines("keeper", OutputStream.STDERR);
        assertThat(stderr).as("the service's own failure").anyMatch(l -> l.contains("Read-only file system"));
        assertThat(stderr).as("the hint").contains("services-cluster: " + hostData.getParent()
                + " is not in permissions.files.write of 'keeper' (a sandboxed service may write only there, "
                + "in its work directory and in its java.io.tmpdir; everything else is read-only)");
        assertThat(stderr.stream().filter(l -> l.startsWith("services-cluster:"))).as("said once").hasSize(1);
        assertThat(events.lines("keeper", OutputStream.STDOUT)).noneMatch(l -> l.startsWith("data kept"));
        assertThat(hostData.getParent()).as("nothing on the host").doesNotExist();
    }

    @Test
    void withFilesReadTmpIsEmptyAndReadOnlyToo() throws Exception {
        Path config = Files.createDirectories(files.resolve("config"));
        RecordingListener events = run(keeper("keeper", Optional.of(List.of(config)))
                .setting("dataDir", hostData.toString()));

        assertThat(events.lines("keeper", OutputStream.STDERR))
                .anyMatch(l -> l.contains("Read-only file system"))
                .anyMatch(l -> l.startsWith("services-cluster: " + hostData.getParent() + " is not in "
                        + "permissions.files.write of 'keeper'"));
        assertThat(hostData.getParent()).doesNotExist();
    }

    @Test
    void aStartThatFailsOnSuchAWriteSaysWhyInItsReason() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("writes")
                .service(keeper("keeper", Optional.empty()).setting("dataDir", hostData.toString())
                        .setting("failStart", "true"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            ServiceEvent failed = events.await("keeper", Type.FAILED, TIMEOUT);
            assertThat(failed.details().get("reason").toString()).contains("Read-only file system")
                    .contains(hostData.getParent() + " is not in permissions.files.write of 'keeper'");
        }
    }

    @Test
    void theServicesScratchSpaceIsItsOwnFolderEmptiedAtEachStart() throws Exception {
        Path workDir = ServiceProcesses.workDir(state, "keeper");
        Path scratch = workDir.resolve("tmp");
        Files.createDirectories(scratch);
        Files.writeString(scratch.resolve("left-by-an-earlier-run"), "old");
        Path data = files.resolve("data");

        RecordingListener events = run(keeper("keeper", Optional.empty()).setting("dataDir", data.toString()));

        assertThat(events.lines("keeper", OutputStream.STDOUT))
                .contains("data kept in " + data)
                .anyMatch(l -> l.startsWith("scratch: " + scratch + " | " + scratch + " | ok " + scratch + "/scratch"));
        assertThat(data.resolve("data.txt")).hasContent("precious");
        assertThat(scratch.resolve("left-by-an-earlier-run")).doesNotExist();
        assertThat(events.lines("keeper", OutputStream.STDERR)).noneMatch(l -> l.startsWith("services-cluster:"));
    }

    @Test
    void anUnconfinedServiceGetsTheSameScratchFolder() throws Exception {
        ServiceSpec.Builder keeper = ServiceSpec.builder("free")
                .code(CodeSpec.ofClass(DataKeeper.class.getName(), TestClusters.testClasses()))
                .setting("dataDir", files.resolve("data").toString());
        RecordingListener events = run(keeper);

        Path scratch = ServiceProcesses.workDir(state, "free").resolve("tmp");
        assertThat(events.lines("free", OutputStream.STDOUT))
                .anyMatch(l -> l.startsWith("scratch: " + scratch + " | " + scratch + " | ok "));
    }

    /** {@link DataKeeper} in a sandbox that may write {@code state/data} only (and read only {@code read}, if given). */
    private ServiceSpec.Builder keeper(String name, Optional<List<Path>> read) {
        return ServiceSpec.builder(name)
                .code(CodeSpec.ofClass(DataKeeper.class.getName(), TestClusters.testClasses()))
                .permissions(new Permissions(read, List.of(files.resolve("data")), true, false));
    }

    /** Runs a cluster of {@code service} until it runs, then closes it; what it said. */
    private RecordingListener run(ServiceSpec.Builder service) throws Exception {
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(ClusterSpec.builder("writes").service(service).build())
                .stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
        }
        return events;
    }
}
