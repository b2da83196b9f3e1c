package io.servicescluster.core.container.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.container.support.ServiceUids;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.DataKeeper;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the docker container does: the engine's own restrictions, out-of-memory kills, labels. */
class DockerContainerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path state;

    @AfterEach
    void noContainerLeft() {
        assertThat(DockerTests.containersOfManager(ProcessHandle.current().pid())).isEmpty();
    }

    private static Path testClasses() {
        try {
            return Path.of(Hog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServiceSpec.Builder docker(ServiceSpec.Builder service) {
        return DockerUnderTest.INSTANCE.adapt(service);
    }

    private ServicesManager.Builder manager(ClusterSpec cluster) {
        return DockerUnderTest.INSTANCE.register(ServicesManager.builder(cluster).stateDir(state));
    }

    @Test
    void restrictionsMapToTheEnginesOwnAndTheServiceRunsWithoutNetwork() throws Exception {
        Path readable = Files.writeString(state.resolve("readable.txt"), "hello");
        Path writable = state.resolve("out");
        Path notListed = Files.createDirectories(state.resolve("secret"));
        ClusterSpec cluster = ClusterSpec.builder("confined")
                .service(docker(ServiceSpec.builder("probe").code(CodeSpec.ofClass(Probe.class.getName(), testClasses())))
                        .setting("write", writable.toString())
                        .setting("read", readable.toString())
                        .permissions(new Permissions(Optional.of(List.of(readable)), List.of(writable), false, false))
                        .resources(new Resources(OptionalLong.of(256L << 20), OptionalDouble.of(0.5))))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT); // the control channel works with --network none
            Awaitility.await().atMost(TIMEOUT).until(() -> events.lines("probe", OutputStream.STDOUT)
                    .contains("probe done"));
            assertThat(events.lines("probe", OutputStream.STDOUT)).contains("write ok", "read ok", "workWrite ok")
                    .anySatisfy(line -> assertThat(line).startsWith("rootWrite denied:").contains("Read-only file system"));
            assertThat(writable.resolve("probe.txt")).exists();

            Container container = DockerTests.runningContainersOf("probe").getFirst();
            InspectContainerResponse inspected = DockerTests.requireEngine().inspectContainerCmd(container.getId()).exec();
            HostConfig host = inspected.getHostConfig();
            assertThat(host.getReadonlyRootfs()).isTrue();
            assertThat(host.getNetworkMode()).isEqualTo("none");
            assertThat(host.getMemory()).isEqualTo(256L << 20);
            assertThat(host.getMemorySwap()).isEqualTo(256L << 20);
            assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
            assertThat(host.getSecurityOpts()).contains("no-new-privileges");
            assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
            Map<String, Bind> binds = Arrays.stream(host.getBinds())
                    .collect(java.util.stream.Collectors.toMap(b -> b.getPath(), b -> b));
            assertThat(binds.get(readable.toString()).getAccessMode().toString()).isEqualTo("ro");
            assertThat(binds.get(writable.toString()).getAccessMode().toString()).isEqualTo("rw");
            assertThat(binds.get(state.resolve("work").resolve("probe").toString()).getAccessMode().toString())
                    .isEqualTo("rw");
            assertThat(binds).doesNotContainKey(notListed.toString());
            // the code and the runtime are mounted read-only, never in the image
            assertThat(binds.get(testClasses().toString()).getAccessMode().toString()).isEqualTo("ro");
            assertThat(inspected.getConfig().getLabels())
                    .containsEntry(Labels.CLUSTER, "confined")
                    .containsEntry(Labels.SERVICE, "probe")
                    .containsEntry(Labels.MANAGER_PID, Long.toString(ProcessHandle.current().pid()));
            assertThat(manager.status("probe").pid()).hasValue(inspected.getState().getPidLong());
            if (ServiceUids.managerIsRoot()) { // issue 18: not root, but a host user of the service's own
                int uid = (Integer) Files.getAttribute(Path.of("/proc/" + inspected.getState().getPidLong()), "unix:uid");
                assertThat(uid).isGreaterThanOrEqualTo(ServiceUids.FIRST);
                int gid = (Integer) Files.getAttribute(Path.of("/proc/" + inspected.getState().getPidLong()), "unix:gid");
                assertThat(inspected.getConfig().getUser()).isEqualTo(uid + ":" + gid);
            }
            // issue 18: the launch's token is in no environment (docker inspect shows it to anyone
            // with the engine), only in a file of its own, emptied once the hello was said
            assertThat(inspected.getConfig().getEnv()).noneMatch(e -> e.startsWith("SVC_TOKEN="));
            String tokenFile = Arrays.stream(inspected.getConfig().getEnv()).filter(e -> e.startsWith("SVC_TOKEN_FILE="))
                    .findFirst().orElseThrow().substring("SVC_TOKEN_FILE=".length());
            assertThat(binds.get(tokenFile).getAccessMode().toString()).isEqualTo("ro");
            assertThat(Path.of(tokenFile)).doesNotExist();
        }
    }

    @Test
    void javaHeapExhaustionIsCrashedWithReasonOutOfMemory() throws Exception {
        assertOutOfMemory("heap");
    }

    @Test
    void kernelOutOfMemoryKillIsCrashedWithReasonOutOfMemory() throws Exception {
        assertOutOfMemory("native");
    }

    private void assertOutOfMemory(String hog) throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("hungry")
                .service(docker(ServiceSpec.builder("hog").code(CodeSpec.ofClass(Hog.class.getName(), testClasses())))
                        .setting("hog", hog)
                        .resources(new Resources(OptionalLong.of(128L << 20), OptionalDouble.empty())))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            ServiceEvent crashed = events.await("hog", Type.CRASHED, TIMEOUT);
            assertThat(crashed.detail("reason")).isEqualTo("out of memory");
            // the JVM's own exit for want of heap (-XX:+ExitOnOutOfMemoryError), or the kernel's kill (State.OOMKilled)
            assertThat(crashed.details()).containsEntry("exitCode", hog.equals("native") ? 137 : 3);
            assertThat(manager.status("hog").state()).isEqualTo(ServiceState.CLOSED);
        }
    }

    @Test
    void missingImageFailsTheStartNamingTheImage() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("no-image")
                .service(TestClusters.idle("ghost").container("docker")
                        .options(DockerOptions.DEFAULT.withImage("svc-no-such-image:never")))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.whenIdle().get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            String problem = manager.status("ghost").problem().orElseThrow();
            assertThat(problem).contains("svc-no-such-image:never");
        }
    }

    @Test
    void serviceLoaderFindsTheDockerKindForTheCommandLine() throws Exception {
        // what svc does: no factory registered by hand; settings from the environment or properties
        System.setProperty("servicescluster.docker.image", DockerTests.IMAGE);
        System.setProperty("servicescluster.docker.hostJdk", "true");
        DockerTests.requireEngine();
        try {
            ClusterSpec cluster = ClusterSpec.builder("loaded")
                    .service(TestClusters.idle("found").container("docker"))
                    .build();
            RecordingListener events = new RecordingListener();
            try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
                manager.start();
                manager.awaitRunning(TIMEOUT);
                assertThat(manager.status("found").container()).isEqualTo("docker");
                assertThat(DockerTests.runningContainersOf("found")).hasSize(1);
            }
        } finally {
            System.clearProperty("servicescluster.docker.image");
            System.clearProperty("servicescluster.docker.hostJdk");
        }
    }

    @Test
    void aWriteOutsideFilesWriteFailsLoudlyNamingThePathAndScratchIsTheServicesOwn() throws Exception {
        Path data = state.resolve("data");
        Path hostLooking = Path.of("/tmp", "svc-docker-writes-" + java.util.UUID.randomUUID(), "data");
        ClusterSpec cluster = ClusterSpec.builder("writes")
                .service(docker(ServiceSpec.builder("keeper")
                        .code(CodeSpec.ofClass(DataKeeper.class.getName(), TestClusters.testClasses())))
                        .setting("dataDir", hostLooking.toString())
                        .permissions(new Permissions(Optional.empty(), List.of(data), true, false)))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = manager(cluster).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
        }
        Path scratch = state.resolve("work/keeper/" + ScratchFolder.NAME);
        assertThat(events.lines("keeper", OutputStream.STDOUT))
                .anyMatch(l -> l.startsWith("scratch: " + scratch + " | " + scratch + " | ok " + scratch));
        assertThat(events.lines("keeper", OutputStream.STDERR))
                .anyMatch(l -> l.contains("Read-only file system"))
                .anyMatch(l -> l.startsWith("services-cluster: " + hostLooking.getParent()
                        + " is not in permissions.files.write of 'keeper'"));
        assertThat(hostLooking.getParent()).doesNotExist();
    }
}
