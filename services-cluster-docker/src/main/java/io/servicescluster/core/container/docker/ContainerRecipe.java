package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.container.support.ServiceUids;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a Docker container of one service is made of: its image, environment, command line, user,
 * name, binds and restrictions, as {@link DockerContainer} and docs/docker.md describe them.
 * Stateless: each launch asks for a fresh create command.
 */
final class ContainerRecipe {

    /** What the JVM needs from the host when it is the manager's own JDK ({@link DockerSettings#hostJdk()}). */
    private static final List<String> HOST_JDK_PATHS = List.of("/usr", "/lib", "/lib64", "/etc/alternatives");

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final DockerContainerFactory factory;

    ContainerRecipe(ServiceSpec spec, ContainerEnvironment environment, DockerContainerFactory factory) {
        this.spec = spec;
        this.environment = environment;
        this.factory = factory;
    }

    String image() {
        return spec.options(DockerOptions.class).orElse(DockerOptions.DEFAULT).image().orElse(factory.settings().defaultImage());
    }

    /** The folder of {@code service}'s data sockets: the process container's layout, shared by all kinds. */
    Path dataFolder(String service) {
        return environment.runDir().resolve(service);
    }

    /**
     * The command that creates the container of one launch: the remote connects back on
     * {@code control} and says the token in {@code tokenFile}, a file bound read-only into the
     * container alone (never the token itself in its environment or command line, where a
     * {@code docker inspect} or a process listing shows it); its data socket (if it serves data)
     * and scratch folder are fresh. {@code launch}: 8 hex digits drawn apart from the token, for
     * the names of the data socket and the container, so that neither shows part of the token.
     */
    CreateContainerCmd createCommand(DockerClient docker, ControlSocket control, Path tokenFile, String launch,
            Optional<ServiceUids.Identity> hostUser) throws ContainerException {
        List<String> env = new ArrayList<>();
        // the service's env (never SVC_*), in name order: the same command for the same spec
        new TreeMap<>(spec.env()).forEach((variable, value) -> env.add(variable + "=" + value));
        env.addAll(List.of(
                "SVC_CONTROL=" + control.endpoint(),
                "SVC_TOKEN_FILE=" + tokenFile,
                "SVC_WATCHDOG_MS=" + environment.watchdog().toMillis()));
        if (environment.servesData()) {
            env.add("SVC_DATA=unix:" + dataFolder(spec.name()).resolve(launch + ".data"));
        }
        Path scratch = ServiceUids.freshScratch(spec.name(), environment.workDir(), hostUser);
        env.add("TMPDIR=" + scratch);
        HostConfig host = hostConfig(control.path(), tokenFile);
        return docker.createContainerCmd(image())
                .withName(containerName(launch))
                .withLabels(Labels.of(environment.clusterName(), spec.name()))
                .withEnv(env)
                .withCmd(command(scratch))
                .withWorkingDir(environment.workDir().toString())
                .withUser(hostUser.isPresent() ? hostUser.get().toString() : user())
                .withHostConfig(host);
    }

    /** The JVM's command line: the image's {@code java} (or the host's), the runtime's flags, limits, the service's options. */
    private List<String> command(Path scratch) {
        RemoteRuntime runtime = factory.runtime();
        DockerSettings settings = factory.settings();
        String java = settings.hostJdk() ? runtime.javaExecutable().toString()
                : spec.options(DockerOptions.class).orElse(DockerOptions.DEFAULT).java().orElse(settings.defaultJava());
        // The class-data file is written by a JVM on the host: only a read-only copy made by the
        // very same JDK is of use in a container, never a writable one.
        RemoteRuntime flags = settings.hostJdk() ? runtime.withExistingClassDataOnly() : runtime.withoutClassData();
        List<String> options = new ArrayList<>();
        options.add(ScratchFolder.jvmOption(scratch)); // first, so that a jvm option wins
        options.addAll(spec.jvm().forService(spec.resources()));
        return new RemoteRuntime(Path.of(java), runtime.classpath(), flags.jvmOptions()).command(spec.name(), options);
    }

    private HostConfig hostConfig(Path controlSocket, Path tokenFile) throws ContainerException {
        HostConfig host = HostConfig.newHostConfig()
                .withBinds(binds(controlSocket, tokenFile).list())
                .withReadonlyRootfs(true)
                // no bridge networks here: a service has either no network at all, or the host's
                .withNetworkMode(spec.permissions().network() ? "host" : "none")
                .withSecurityOpts(List.of("no-new-privileges"))
                .withCapDrop(Capability.ALL)
                .withInit(false);
        spec.resources().memoryBytes().ifPresent(bytes -> host.withMemory(bytes).withMemorySwap(bytes));
        spec.resources().cpus().ifPresent(cpus -> host.withNanoCPUs(Math.round(cpus * 1e9)));
        host.withPidsLimit(spec.resources().pidsOrDefault()); // a default one too, as for a process (issue 18)
        if (spec.resources().diskBytes().isPresent()) { // R15: fail closed
            throw new ContainerException("the docker container cannot enforce " + spec.resources().describe().stream()
                    .filter(d -> d.startsWith("disk")).findFirst().orElse("disk") + " for '" + spec.name()
                    + "': its work directory is a bind of a host folder, which Docker cannot bound; remove the "
                    + "limit, or use the process container (docs/sandbox.md)");
        }
        return host;
    }

    private Binds binds(Path controlSocket, Path tokenFile) throws ContainerException {
        Permissions permissions = spec.permissions();
        Binds binds = new Binds();
        RemoteRuntime runtime = factory.runtime();
        if (factory.settings().hostJdk()) {
            bindHostJdk(binds, runtime);
        }
        runtime.classpath().forEach(binds::readOnly);
        spec.code().classpath().forEach(p -> binds.readOnly(ClassPath.visiblePath(p))); // a wildcard's folder
        permissions.readPaths().ifPresent(paths -> paths.forEach(binds::readOnly));
        for (String dependency : spec.dependsOn()) {
            binds.readOnly(dataFolder(dependency));
        }
        binds.readWrite(environment.workDir());
        for (Path path : permissions.writePaths()) {
            try {
                Files.createDirectories(path); // a bind needs its source
            } catch (IOException e) {
                throw new ContainerException("the docker container cannot enforce files.write " + path + " for '"
                        + spec.name() + "': the folder cannot be made: " + e.getMessage(), e);
            }
            binds.readWrite(path);
        }
        binds.readWrite(dataFolder(spec.name()));
        binds.socket(controlSocket);
        binds.socket(tokenFile); // read-only, this container's alone
        return binds;
    }

    /** The manager's own JDK, read-only: the system folders it needs, its home, its config, its class-data archive. */
    private void bindHostJdk(Binds binds, RemoteRuntime runtime) {
        for (String path : HOST_JDK_PATHS) {
            binds.readOnly(Path.of(path));
        }
        Path javaHome = realPath(runtime.javaExecutable()).getParent().getParent();
        if (!javaHome.startsWith("/usr")) {
            binds.readOnly(javaHome);
        }
        try (DirectoryStream<Path> javaConfigs = Files.newDirectoryStream(Path.of("/etc"), "java*")) {
            javaConfigs.forEach(binds::readOnly); // Debian's JDKs link their conf here
        } catch (IOException e) {
            // no such folders
        }
        usableArchive(runtime).ifPresent(binds::readOnly);
    }

    /** The class-data archive, when the container runs the manager's JDK and the archive exists. */
    private Optional<Path> usableArchive(RemoteRuntime runtime) {
        return factory.settings().hostJdk() ? runtime.sharedArchive().filter(Files::isRegularFile) : Optional.empty();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath();
        }
    }

    /**
     * Under a manager that is not root, its own user and group: files in the work directory stay
     * its, and the run folder (0700) is reachable. (A root manager's containers run as a user of
     * the service's own: {@link io.servicescluster.core.container.support.ServiceUids}.)
     */
    private String user() throws ContainerException {
        try {
            Object uid = Files.getAttribute(environment.runDir(), "unix:uid");
            Object gid = Files.getAttribute(environment.runDir(), "unix:gid");
            return uid + ":" + gid;
        } catch (IOException | UnsupportedOperationException e) {
            throw new ContainerException("cannot tell the owner of the run folder " + environment.runDir() + ": " + e, e);
        }
    }

    /** {@code svc-CLUSTER-SERVICE-LAUNCH8} (8 random hex digits): unique, and readable in {@code docker ps}. */
    private String containerName(String launch) {
        String cluster = environment.clusterName().replaceAll("[^a-zA-Z0-9_.-]", "-");
        return "svc-" + cluster + "-" + spec.name() + "-" + launch;
    }
}
