package io.servicescluster.core.container.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.RemoteRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a service's container is made of, read off the create command before it is sent: no
 * engine needed (the client never connects). The engine's side of it is DockerContainerTest's.
 */
class ContainerRecipeTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    /** Where the launch's token is handed over: a file, never the environment (issue 18). */
    private static final String TOKEN_FILE = "/run/svc/tokens/api-9f8e7d6c.token";

    @TempDir
    Path dir;

    @Test
    void theContainerSeesItsPathsWhereTheHostHasThemAndWritesOnlyItsOwn() throws Exception {
        Path runtimeClasses = Files.createDirectories(dir.resolve("runtime"));
        Path readable = Files.createDirectories(dir.resolve("in"));
        Path missing = dir.resolve("missing");
        Path writable = dir.resolve("out"); // made for its bind
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Path workDir = Files.createDirectories(dir.resolve("work"));
        ServiceSpec spec = ServiceSpec.builder("api").container("docker").dependsOn("db")
                .code(CodeSpec.ofClass("a.Api"))
                .permissions(new Permissions(Optional.of(List.of(readable, missing)), List.of(writable), false, false))
                .resources(new Resources(OptionalLong.of(256L << 20), OptionalDouble.of(0.5)))
                .env("LOG_LEVEL", "debug").env("EMPTY", "")
                .build();
        Files.createDirectories(runDir.resolve("db"));
        Files.createDirectories(runDir.resolve("api"));
        ContainerEnvironment environment = new ContainerEnvironment("shop floor", runDir, workDir, (stream, line) -> { },
                Duration.ofSeconds(10), Optional.empty(), true);
        DockerContainerFactory factory = new DockerContainerFactory(new DockerSettings("shop:1", "java", false),
                new RemoteRuntime(Path.of("/opt/jdk/bin/java"), List.of(runtimeClasses), List.of()));

        try (ControlSocket control = ControlSocket.bind(runDir.resolve("api.sock"), "api")) {
            CreateContainerCmd command = new ContainerRecipe(spec, environment, factory)
                    .createCommand(offlineClient(), control, Path.of(TOKEN_FILE), "9f8e7d6c", Optional.empty());

            HostConfig host = command.getHostConfig();
            assertThat(host.getBinds()).allSatisfy(bind -> assertThat(bind.getVolume().getPath()).isEqualTo(bind.getPath()));
            Map<String, AccessMode> binds = Arrays.stream(host.getBinds())
                    .collect(Collectors.toMap(Bind::getPath, Bind::getAccessMode));
            assertThat(binds).containsExactlyInAnyOrderEntriesOf(Map.of(
                    runtimeClasses.toString(), AccessMode.ro,
                    readable.toString(), AccessMode.ro,
                    runDir.resolve("db").toString(), AccessMode.ro,        // its dependency's data sockets
                    workDir.toString(), AccessMode.rw,
                    writable.toString(), AccessMode.rw,
                    runDir.resolve("api").toString(), AccessMode.rw,       // its own data sockets
                    runDir.resolve("api.sock").toString(), AccessMode.ro,   // the control socket
                    TOKEN_FILE, AccessMode.ro));                           // the launch's token, its own
            assertThat(writable).isDirectory();
            assertThat(host.getReadonlyRootfs()).isTrue();
            assertThat(host.getNetworkMode()).isEqualTo("none");
            assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
            assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
            assertThat(host.getMemory()).isEqualTo(256L << 20);
            assertThat(host.getMemorySwap()).as("no swap").isEqualTo(256L << 20);
            assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
            assertThat(host.getPidsLimit()).as("the default process limit").isEqualTo(Resources.DEFAULT_PIDS);

            Path scratch = workDir.resolve(ScratchFolder.NAME);
            assertThat(command.getImage()).isEqualTo("shop:1");
            assertThat(command.getName()).isEqualTo("svc-shop-floor-api-9f8e7d6c"); // no part of the token
            assertThat(String.join(" ", command.getEnv()) + String.join(" ", command.getCmd())).doesNotContain(TOKEN);
            assertThat(command.getEnv()).containsExactly("EMPTY=", "LOG_LEVEL=debug", // the service's env, first
                    "SVC_CONTROL=" + control.endpoint(), "SVC_TOKEN_FILE=" + TOKEN_FILE,
                    "SVC_WATCHDOG_MS=10000", "SVC_DATA=unix:" + runDir.resolve("api").resolve("9f8e7d6c.data"),
                    "TMPDIR=" + scratch);
            assertThat(command.getCmd()).startsWith("java", ScratchFolder.jvmOption(scratch));
            assertThat(command.getWorkingDir()).isEqualTo(workDir.toString());
            assertThat(command.getUser()).matches("\\d+:\\d+");
        }
    }

    @Test
    void anApplicationsJarAndClasspathAreBoundReadOnly() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Path workDir = Files.createDirectories(dir.resolve("work"));
        Path jar = Files.createFile(dir.resolve("app.jar"));
        Path lib = Files.createDirectories(dir.resolve("lib"));
        ServiceSpec spec = ServiceSpec.builder("app").container("docker")
                .code(CodeSpec.ofJar(jar, List.of("--port", "8080"), lib.resolve("*"))).build();
        ContainerEnvironment environment = new ContainerEnvironment("shop", runDir, workDir, (stream, line) -> { },
                Duration.ofSeconds(10), Optional.empty(), false);
        DockerContainerFactory factory = new DockerContainerFactory(new DockerSettings("shop:1", "java", false),
                new RemoteRuntime(Path.of("/opt/jdk/bin/java"), List.of(), List.of()));
        try (ControlSocket control = ControlSocket.bind(runDir.resolve("app.sock"), "app")) {
            CreateContainerCmd command = new ContainerRecipe(spec, environment, factory)
                    .createCommand(offlineClient(), control, Path.of(TOKEN_FILE), "9f8e7d6c", Optional.empty());
            assertThat(Arrays.stream(command.getHostConfig().getBinds()).collect(Collectors.toMap(Bind::getPath,
                    Bind::getAccessMode))).containsEntry(jar.toString(), AccessMode.ro).containsEntry(lib.toString(),
                    AccessMode.ro);
        }
    }

    @Test
    void aPathBoundBothWaysIsWritableWhicheverComesFirst() throws Exception {
        Path path = Files.createDirectories(dir.resolve("both"));
        Binds readFirst = new Binds();
        readFirst.readOnly(path);
        readFirst.readWrite(path);
        Binds writeFirst = new Binds();
        writeFirst.readWrite(path);
        writeFirst.readOnly(path);
        for (Binds binds : List.of(readFirst, writeFirst)) {
            assertThat(binds.list()).singleElement().satisfies(bind -> {
                assertThat(bind.getPath()).isEqualTo(path.toString());
                assertThat(bind.getAccessMode()).isEqualTo(AccessMode.rw);
            });
        }
    }

    /** A client of an engine that is not there: building commands needs no connection. */
    @Test
    void aDiskLimitIsRefusedSinceDockerCannotBoundABindMount() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Path workDir = Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(runDir.resolve("db"));
        ServiceSpec spec = ServiceSpec.builder("db").container("docker").code(CodeSpec.ofClass("a.Db"))
                .resources(new Resources(OptionalLong.empty(), OptionalDouble.empty(), OptionalLong.of(64),
                        OptionalLong.of(1L << 30)))
                .build();
        ContainerEnvironment environment = new ContainerEnvironment("shop", runDir, workDir, (stream, line) -> { },
                Duration.ofSeconds(10), Optional.empty(), false);
        DockerContainerFactory factory = new DockerContainerFactory(new DockerSettings("shop:1", "java", false),
                new RemoteRuntime(Path.of("/opt/jdk/bin/java"), List.of(), List.of()));
        try (ControlSocket control = ControlSocket.bind(runDir.resolve("db.sock"), "db")) {
            assertThatThrownBy(() -> new ContainerRecipe(spec, environment, factory)
                    .createCommand(offlineClient(), control, Path.of(TOKEN_FILE), "9f8e7d6c", Optional.empty()))
                    .isInstanceOf(ContainerException.class)
                    .hasMessageContaining("the docker container cannot enforce disk: 1g for 'db'");
        }
    }

    private static DockerClient offlineClient() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///nonexistent/docker.sock").build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).build());
    }
}
