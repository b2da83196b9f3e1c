package io.servicescluster.core.container.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.container.support.ServiceUids;
import io.servicescluster.testing.Sandboxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sandbox binds of the runtime: only what the host's root, mounted whole, does not show
 * already (each mount costs bubblewrap a read of the mount table). That the service still finds
 * everything it needs is what the sandboxed start tests show with real JVMs.
 */
class SandboxCommandTest {

    private static final Path BWRAP = Path.of("/usr/bin/bwrap");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    /** A folder outside /tmp (which the sandbox replaces), wherever the build itself lies: made per test. */
    private Path visible;

    @BeforeEach
    void visibleFolderOutsideTmp() throws Exception {
        visible = Files.createTempDirectory(Path.of("/var/tmp"), "svc-sandbox-command-").toRealPath();
        Files.setPosixFilePermissions(visible, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeIt() throws Exception {
        try (var all = Files.walk(visible)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Path visibleFolder() {
        return visible;
    }

    @Test
    void aJarInSightUnderTheHostsRootIsNotBoundAgain() throws Exception {
        Path jar = Files.writeString(visibleFolder().resolve("runtime.jar"), "");
        List<String> command = command(jar, Permissions.DEFAULT, Optional.empty());
        assertThat(bindsOf(command)).doesNotContain(jar.toString());
    }

    @Test
    void aJarUnderTmpWhichTheSandboxEmptiesIsBound(@TempDir Path temp) throws Exception {
        Path jar = Files.writeString(temp.resolve("runtime.jar"), "");
        assertThat(bindsOf(command(jar, Permissions.DEFAULT, Optional.empty()))).contains(jar.toString());
    }

    @Test
    void aJarInDevShmWhichTheSandboxsOwnDevHidesIsBound() throws Exception {
        Path jar = Files.writeString(Path.of("/dev/shm", "sandbox-command-test-" + ProcessHandle.current().pid() + ".jar"), "");
        try {
            assertThat(bindsOf(command(jar, Permissions.DEFAULT, Optional.empty()))).contains(jar.toString());
        } finally {
            Files.delete(jar);
        }
    }

    @Test
    void aJarReachedThroughALinkIsBound() throws Exception {
        Path folder = visibleFolder();
        Path real = Files.writeString(folder.resolve("real.jar"), "");
        Path link = folder.resolve("link.jar");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, real);
        assertThat(bindsOf(command(link, Permissions.DEFAULT, Optional.empty()))).contains(link.toString());
    }

    @Test
    void withFilesReadNothingIsInSightUnlessBound() throws Exception {
        Path jar = Files.writeString(visibleFolder().resolve("runtime.jar"), "");
        Permissions readOnlyOwn = new Permissions(Optional.of(List.of()), List.of(), true, false);
        assertThat(bindsOf(command(jar, readOnlyOwn, Optional.empty()))).contains(jar.toString());
    }

    @Test
    void underAFolderOtherUsersMayNotSearchAServiceOfItsOwnUserGetsABind() throws Exception {
        Path closed = visibleFolder().resolve("closed");
        Files.createDirectories(closed);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path jar = Files.writeString(closed.resolve("runtime.jar"), "");
        ServiceUids.Identity user = new ServiceUids.Identity(0x70000000, 0x70000001);
        assertThat(bindsOf(command(jar, Permissions.DEFAULT, Optional.of(user)))).contains(jar.toString());
        // the manager's own user (a user namespace) searches it as the folder's owner
        assertThat(bindsOf(command(jar, Permissions.DEFAULT, Optional.empty()))).doesNotContain(jar.toString());
    }

    @Test
    void runAndStateFoldersInTmpAreHiddenByItsTmpfsAlone(@TempDir Path temp) throws Exception {
        Path jar = Files.writeString(visibleFolder().resolve("runtime.jar"), "");
        List<String> command = command(jar, Permissions.DEFAULT, Optional.empty(), temp);
        assertThat(tmpfsOf(command)).containsExactly("/tmp", "/run");
        assertThat(command).containsSubsequence("--tmpfs", "/tmp", "--bind", temp.resolve("state/work/svc").toString());
    }

    @Test
    void runAndStateFoldersInSightGetATmpfsEach() throws Exception {
        Path jar = Files.writeString(visibleFolder().resolve("runtime.jar"), "");
        List<String> command = command(jar, Permissions.DEFAULT, Optional.empty());
        assertThat(tmpfsOf(command)).containsExactly("/tmp", "/run", visibleFolder().resolve("run").toString(),
                visibleFolder().resolve("state").toString());
        assertThat(command).containsSubsequence("--remount-ro", visibleFolder().resolve("run").toString());
    }

    @Test
    void aRunFolderInTmpWithARuntimeFileBoundIntoItStillGetsItsTmpfs(@TempDir Path temp) throws Exception {
        Path jar = Files.writeString(Files.createDirectories(temp.resolve("run")).resolve("runtime.jar"), "");
        List<String> command = command(jar, Permissions.DEFAULT, Optional.empty(), temp);
        assertThat(tmpfsOf(command)).contains(temp.resolve("run").toString());
    }

    @Test
    void anotherServicesWritePathIsCoveredAndWhatThisOneNeedsOrDeclaresThereIsBoundAgain(@TempDir Path temp)
            throws Exception {
        Path other = Files.createDirectories(visibleFolder().resolve("other-writes"));
        Path jdk = Files.createDirectories(other.resolve("jdk"));
        Path declared = Files.createDirectories(other.resolve("declared"));
        Path jar = Files.writeString(other.resolve("runtime.jar"), "");
        Path state = visibleFolder().resolve("state");
        Path workDir = Files.createDirectories(state.resolve("work").resolve("svc"));
        Path runDir = Files.createDirectories(visibleFolder().resolve("run").resolve("shop-1"));
        ServiceSpec spec = ServiceSpec.builder("svc").code(new CodeSpec.ClassCode("example.Svc", List.of()))
                .permissions(new Permissions(Optional.empty(), List.of(declared), true, false)).build();
        RemoteRuntime runtime = new RemoteRuntime(jdk.resolve("bin").resolve("java"), List.of(jar), List.of());
        List<String> command = Sandbox.command(BWRAP, SETPRIV, spec, runtime, workDir, runDir,
                Files.createDirectories(runDir.resolve("svc")), List.of(), Optional.empty(), List.of(other),
                List.of(), Optional.empty());
        assertThat(tmpfsOf(command)).contains(other.toString());
        assertThat(command.subList(command.indexOf(other.toString()), command.size()))
                .contains(jdk.toString(), jar.toString(), declared.toString());
        assertThat(String.join(" ", command)).contains("--remount-ro " + other);
        // one it cannot see anyway (in /tmp, which the sandbox empties) gets no cover of its own
        List<String> inTmp = Sandbox.command(BWRAP, SETPRIV, spec, runtime, workDir, runDir,
                runDir.resolve("svc"), List.of(), Optional.empty(), List.of(temp), List.of(), Optional.empty());
        assertThat(tmpfsOf(inTmp)).doesNotContain(temp.toString());
    }

    @Test
    void aHomeIsCoveredAndOnlyWhatTheServiceNeedsOrDeclaresThereIsBoundAgain() throws Exception {
        Path home = Files.createDirectories(visibleFolder().resolve("home").resolve("alice"));
        Files.createDirectories(home.resolve(".ssh"));
        Path jdk = Files.createDirectories(home.resolve(".sdkman").resolve("jdk"));
        Path jar = Files.writeString(Files.createDirectories(home.resolve(".m2")).resolve("runtime.jar"), "");
        Path aot = Files.writeString(Files.createDirectories(home.resolve(".cache")).resolve("remote.aot"), "");
        Path project = Files.createDirectories(home.resolve("project"));
        Path classes = Files.createDirectories(project.resolve("target").resolve("classes"));
        Path clusterFile = Files.writeString(project.resolve("cluster.yaml"), "settings: { password: hunter2 }");
        Path state = project.resolve(".svc").resolve("shop");
        Path workDir = Files.createDirectories(state.resolve("work").resolve("svc"));
        Path written = project.resolve("data");
        Path runDir = Files.createDirectories(visibleFolder().resolve("run").resolve("shop-1"));
        ServiceSpec spec = ServiceSpec.builder("svc").code(new CodeSpec.ClassCode("example.Svc", List.of(classes)))
                .permissions(new Permissions(Optional.empty(), List.of(written), true, false)).build();
        RemoteRuntime runtime = new RemoteRuntime(jdk.resolve("bin").resolve("java"), List.of(jar),
                List.of(RemoteRuntime.AOT_CACHE + aot));
        List<String> command = Sandbox.command(BWRAP, SETPRIV, spec, runtime, workDir, runDir,
                Files.createDirectories(runDir.resolve("svc")), List.of(), Optional.of(clusterFile), List.of(),
                List.of(home.getParent(), home), Optional.empty());
        // one cover for both (the manager's home is in /home), before what is bound again in it
        assertThat(tmpfsOf(command)).contains(home.getParent().toString()).doesNotContain(home.toString());
        assertThat(command.subList(command.indexOf(home.getParent().toString()), command.size()))
                .contains(jdk.toString(), jar.toString(), aot.toString(), classes.toString(), written.toString(),
                        workDir.toString());
        assertThat(String.join(" ", command)).contains("--remount-ro " + home.getParent())
                .doesNotContain(".ssh");
        // what the home's cover hides already gets no cover or bind of its own: the state folder, the cluster file
        assertThat(tmpfsOf(command)).doesNotContain(state.toString());
        assertThat(command).doesNotContain(clusterFile.toString());
    }

    @Test
    void underARootManagerOnlyAHomeItsUserMaySearchGetsACover() throws Exception {
        Path jar = Files.writeString(visibleFolder().resolve("runtime.jar"), "");
        Path home = Files.createDirectories(visibleFolder().resolve("root"));
        ServiceUids.Identity user = new ServiceUids.Identity(0x70000000, 0x70000001);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        assertThat(tmpfsOf(command(jar, Permissions.DEFAULT, Optional.of(user), List.of(home))))
                .doesNotContain(home.toString());
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-x--x"));
        assertThat(tmpfsOf(command(jar, Permissions.DEFAULT, Optional.of(user), List.of(home))))
                .contains(home.toString());
        if (Sandboxes.managerIsRoot()) { // of the service's group: it may search it
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-x---"));
            Files.setAttribute(home, "unix:gid", user.gid());
            assertThat(tmpfsOf(command(jar, Permissions.DEFAULT, Optional.of(user), List.of(home))))
                    .contains(home.toString());
        }
    }

    @Test
    void withFilesReadAHomeNeedsNoCoverAndWhatIsNeededThereIsBound() throws Exception {
        Path home = Files.createDirectories(visibleFolder().resolve("home"));
        Path jar = Files.writeString(home.resolve("runtime.jar"), "");
        Permissions readOnlyOwn = new Permissions(Optional.of(List.of()), List.of(), true, false);
        List<String> command = command(jar, readOnlyOwn, Optional.empty(), List.of(home));
        assertThat(tmpfsOf(command)).doesNotContain(home.toString());
        assertThat(bindsOf(command)).contains(jar.toString());
    }

    @Test
    void whatTheManifestOfAServicesJarInAHomeNamesIsBoundAgainOverTheHomesCover() throws Exception {
        Path home = Files.createDirectories(visibleFolder().resolve("home"));
        Path project = Files.createDirectories(home.resolve("alice").resolve("project"));
        Path app = jar(project.resolve("app.jar"), "lib/dep.jar lib/classes/  http://example.com/x.jar");
        Path dep = jar(Files.createDirectories(project.resolve("lib")).resolve("dep.jar"), "../../shared/util.jar");
        Path util = jar(Files.createDirectories(home.resolve("alice").resolve("shared")).resolve("util.jar"),
                "dep-of-util.jar ../project/app.jar"); // a cycle, and an entry that does not exist
        Files.createDirectories(project.resolve("lib").resolve("classes"));
        Path state = visibleFolder().resolve("state");
        Path workDir = Files.createDirectories(state.resolve("work").resolve("svc"));
        Path runDir = Files.createDirectories(visibleFolder().resolve("run").resolve("shop-1"));
        ServiceSpec spec = ServiceSpec.builder("svc").code(new CodeSpec.ClassCode("example.Svc", List.of(app)))
                .build();
        RemoteRuntime runtime = new RemoteRuntime(Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of(Files.writeString(visibleFolder().resolve("runtime.jar"), "")), List.of());

        List<String> command = Sandbox.command(BWRAP, SETPRIV, spec, runtime, workDir, runDir,
                Files.createDirectories(runDir.resolve("svc")), List.of(), Optional.empty(), List.of(), List.of(home),
                Optional.empty());

        assertThat(tmpfsOf(command)).contains(home.toString());
        assertThat(bindsOf(command)).contains(app.toString(), dep.toString(), util.toString(),
                project.resolve("lib").resolve("classes").toString(),
                home.resolve("alice").resolve("shared").resolve("dep-of-util.jar").toString())
                .doesNotContain("http://example.com/x.jar");
    }

    @Test
    void underARootManagerAJdkInRootsHomeIsBoundForTheServicesUser() throws Exception {
        Path root = Files.createDirectories(visibleFolder().resolve("root"));
        Path java = Files.createDirectories(root.resolve(".sdkman").resolve("jdk").resolve("bin")).resolve("java");
        Files.copy(Path.of(System.getProperty("java.home"), "bin", "java"), java);
        Path jar = Files.writeString(Files.createDirectories(root.resolve(".m2")).resolve("runtime.jar"), "");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Path state = visibleFolder().resolve("state");
        Path workDir = Files.createDirectories(state.resolve("work").resolve("svc"));
        Path runDir = Files.createDirectories(visibleFolder().resolve("run").resolve("shop-1"));
        ServiceSpec spec = ServiceSpec.builder("svc").code(new CodeSpec.ClassCode("example.Svc", List.of())).build();

        List<String> command = Sandbox.command(BWRAP, SETPRIV, spec, new RemoteRuntime(java, List.of(jar), List.of()),
                workDir, runDir, Files.createDirectories(runDir.resolve("svc")), List.of(), Optional.empty(), List.of(),
                List.of(root), Optional.of(new ServiceUids.Identity(0x70000000, 0x70000001)));

        // root's home gets an empty cover for the jar bound in it: the JDK there is bound too, or the service has no java
        assertThat(tmpfsOf(command)).contains(root.toString());
        String jdk = root.resolve(".sdkman").resolve("jdk").toString();
        assertThat(String.join(" ", command)).contains("--ro-bind " + jdk + " " + jdk);
    }

    @Test
    void aHomeReachedThroughALinkIsCoveredAndWhatIsNeededThereBoundAtItsRealPath() throws Exception {
        // /home linked to /var/home (Fedora Silverblue): bubblewrap cannot make a mount point
        // through the link into the cover, it must be made at the real path
        Path real = Files.createDirectories(visibleFolder().resolve("var-home"));
        Path home = Files.createSymbolicLink(visibleFolder().resolve("home"), real);
        Path jar = Files.writeString(Files.createDirectories(real.resolve("alice").resolve(".m2")).resolve("r.jar"), "");

        List<String> command = command(home.resolve("alice").resolve(".m2").resolve("r.jar"), Permissions.DEFAULT,
                Optional.empty(), List.of(home));

        assertThat(tmpfsOf(command)).contains(real.toString()).doesNotContain(home.toString());
        assertThat(bindsOf(command)).contains(jar.toString())
                .doesNotContain(home.resolve("alice").resolve(".m2").resolve("r.jar").toString());
    }

    /**
     * Every start reads its jars' manifests: a jar unchanged since (size and time) is not opened
     * again — here its bytes are swapped for garbage of the same size and time, and the answer
     * stays — while a changed or replaced one is.
     */
    @Test
    void aJarsManifestIsReadAgainOnlyWhenTheJarChanged() throws Exception {
        Path folder = Files.createDirectories(visibleFolder().resolve("manifests"));
        Path app = jar(folder.resolve("app.jar"), "a.jar");
        assertThat(Sandbox.manifestClassPaths(List.of(app))).containsExactly(folder.resolve("a.jar"));

        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(app);
        Files.write(app, new byte[(int) Files.size(app)]);
        Files.setLastModifiedTime(app, modified);
        assertThat(Sandbox.manifestClassPaths(List.of(app))).as("unchanged: not read again")
                .containsExactly(folder.resolve("a.jar"));

        // another file of the same size and time put in its place (a deployment's rename)
        Path replacement = jar(folder.resolve("app.jar.new"), "x.jar");
        assertThat(Files.size(replacement)).isEqualTo(Files.size(app));
        Files.setLastModifiedTime(replacement, modified);
        Files.move(replacement, app, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Sandbox.manifestClassPaths(List.of(app))).as("replaced: read again")
                .containsExactly(folder.resolve("x.jar"));

        jar(app, "b.jar c.jar");
        Files.setLastModifiedTime(app, java.nio.file.attribute.FileTime.fromMillis(modified.toMillis() + 2_000));
        assertThat(Sandbox.manifestClassPaths(List.of(app))).as("changed: read again")
                .containsExactly(folder.resolve("b.jar"), folder.resolve("c.jar"));
    }

    /** A jar at {@code path} whose manifest's {@code Class-Path} is {@code classPath}. */
    private static Path jar(Path path, String classPath) throws Exception {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, classPath);
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(path), manifest)) {
            return path;
        }
    }

    @Test
    void aSystemAccountsHomeIsNotCovered() throws Exception {
        Path jar = Files.writeString(visibleFolder().resolve("runtime.jar"), "");
        // the daemon account's home is /usr/sbin, bin's /bin: covering them would hide what every program needs
        assertThat(tmpfsOf(command(jar, Permissions.DEFAULT, Optional.empty(), List.of(Path.of("/usr/sbin"),
                Path.of("/bin"), Path.of("/"))))).containsExactly("/tmp", "/run",
                visibleFolder().resolve("run").toString(), visibleFolder().resolve("state").toString());
    }

    @Test
    void theHostsHomesAreThoseInHomeRootsAndTheManagersOwn() {
        assertThat(HostTools.detect().homes()).contains(Path.of("/home"), Path.of("/root"),
                Path.of(System.getProperty("user.home")));
    }

    private List<String> command(Path jar, Permissions permissions, Optional<ServiceUids.Identity> user)
            throws Exception {
        return command(jar, permissions, user, visibleFolder(), List.of());
    }

    private List<String> command(Path jar, Permissions permissions, Optional<ServiceUids.Identity> user,
            List<Path> homes) throws Exception {
        return command(jar, permissions, user, visibleFolder(), homes);
    }

    private static List<String> command(Path jar, Permissions permissions, Optional<ServiceUids.Identity> user,
            Path base) throws Exception {
        return command(jar, permissions, user, base, List.of());
    }

    private static List<String> command(Path jar, Permissions permissions, Optional<ServiceUids.Identity> user,
            Path base, List<Path> homes) throws Exception {
        Path state = base.resolve("state");
        Path workDir = Files.createDirectories(state.resolve("work").resolve("svc"));
        Path runDir = Files.createDirectories(base.resolve("run").resolve("shop-1"));
        Path dataFolder = Files.createDirectories(runDir.resolve("svc"));
        ServiceSpec spec = ServiceSpec.builder("svc").code(new CodeSpec.ClassCode("example.Svc", List.of())).permissions(permissions)
                .build();
        RemoteRuntime runtime = new RemoteRuntime(Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of(jar), List.of());
        return Sandbox.command(BWRAP, SETPRIV, spec, runtime, workDir, runDir, dataFolder, List.of(),
                Optional.empty(), List.of(), homes, user);
    }

    /** The folders of the command's {@code --tmpfs} mounts. */
    private static List<String> tmpfsOf(List<String> command) {
        List<String> folders = new ArrayList<>();
        for (int i = 0; i + 1 < command.size(); i++) {
            if (command.get(i).equals("--tmpfs")) {
                folders.add(command.get(i + 1));
            }
        }
        return folders;
    }

    /** The targets of the command's {@code --ro-bind-try} mounts. */
    @Test
    void theCompilerOfAServicesSourceSeesOnlyTheJvmAndItsClassPathsWithoutNetworkAsNobody() throws Exception {
        Path jar = Files.writeString(visibleFolder().resolve("api.jar"), "");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> asRoot = Sandbox.compiler(BWRAP, SETPRIV, java, List.of(jar),
                Optional.of(ProcessCompilerSandbox.NOBODY));

        assertThat(asRoot).containsSubsequence("--unshare-pid", "--unshare-net", "--cap-drop", "ALL")
                .doesNotContain("--unshare-user", "--bind");
        assertThat(bindsOf(asRoot)).contains(jar.toString()); // the empty root shows nothing by itself
        assertThat(String.join(" ", asRoot)).doesNotContain("--ro-bind / /").contains("--remount-ro /")
                .endsWith(SETPRIV + " --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all --bounding-set=-all --");
        assertThat(Sandbox.compiler(BWRAP, SETPRIV, java, List.of(jar), Optional.empty()))
                .contains("--unshare-user").doesNotContain(SETPRIV.toString());
    }

    private static List<String> bindsOf(List<String> command) {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i + 2 < command.size(); i++) {
            if (command.get(i).equals("--ro-bind-try")) {
                targets.add(command.get(i + 2));
            }
        }
        return targets;
    }
}
