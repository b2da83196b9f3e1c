package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.testing.ManagerMain;
import io.servicescluster.testing.ManagerProcess;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.Sandboxes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, a gap the review of "confined by default" found: the sandbox showed the host's root
 * read-only, homes included, and under a manager that is not root a service is that manager's
 * user (in a user namespace of its own), so it read the manager's {@code ~/.ssh}. Here a manager
 * runs as another user (a uid of no account, {@code setpriv} from this root JVM), with everything
 * in its home as a developer's would be: its class path and so the remote runtime's jars and the
 * services' classes ({@code ~/.m2}), the project and its state folder, its class-data cache
 * ({@code ~/.cache/services-cluster}), and a private key. Under a root manager, the homes in
 * {@code /home} are hidden the same way.
 */
class HomeFolderTest {

    @Test
    void aServiceOfAManagerThatIsNotRootSeesNothingOfItsHomeButWhatItNeedsOrDeclares() throws Exception {
        Sandboxes.requireBubblewrap();
        Sandboxes.requireRootToRunAsAnotherUser();
        int uid = unusedUid();
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), "svc-home-test-"); // /tmp is hidden anyway
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Path home = Files.createDirectories(base.resolve("alice"));
            Path secret = Files.writeString(Files.createDirectories(home.resolve(".ssh")).resolve("id_test"),
                    "PRIVATE KEY " + uid);
            List<Path> classPath = new ArrayList<>();
            for (Path entry : Processes.classPath()) {
                Path copy = home.resolve(".m2").resolve(classPath.size() + "-" + entry.getFileName());
                copyTree(entry, copy);
                classPath.add(copy);
            }
            Path state = Files.createDirectories(home.resolve("project").resolve("state"));
            Path runtimeDir = Files.createDirectories(base.resolve("run"));
            for (Path folder : List.of(home, runtimeDir)) {
                giveTo(folder, uid);
            }
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-x---"));
            Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(secret.getParent(), PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid", Integer.toString(uid), "--regid",
                    Integer.toString(uid), "--clear-groups", "--"));
            command.addAll(Processes.java(classPath, ManagerMain.class.getName(),
                    ManagerProcess.arguments(state, "--read=" + secret)));
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> environment = builder.environment();
            environment.put("HOME", home.toString()); // user.home, for a uid of no account
            environment.put("XDG_RUNTIME_DIR", runtimeDir.toString());
            environment.remove("XDG_CACHE_HOME"); // its class-data cache in its home
            ManagerProcess manager = ManagerProcess.launch(builder, state);
            try {
                // both run (ready): the runtime's jars and the services' classes, in the home, were bound again
                Map<String, String> plain = Sandboxes.report(state, "plain");
                assertThat(plain.get("read " + secret)).startsWith("failed");
                assertThat(plain.get("list " + home)).startsWith("ok").doesNotContain(".ssh");
                assertThat(Sandboxes.report(state, "declared").get("read " + secret))
                        .isEqualTo("ok PRIVATE KEY " + uid);
            } finally {
                long pid = manager.process().pid();
                Processes.killTree(pid);
                await().atMost(Duration.ofSeconds(30)).until(() -> Processes.gone(pid));
            }
        } finally {
            delete(base);
        }
    }

    /**
     * Under a root manager the service is a user of its own, which read what other users' homes in
     * {@code /home} open to others (a 0755 home was the default of Debian and Ubuntu until 21.04).
     */
    @Test
    void underARootManagerNoServiceSeesTheHomesInHome(@TempDir Path state) throws Exception {
        Sandboxes.requireBubblewrap();
        Sandboxes.requireRootToRunAsAnotherUser(); // a service of a root manager is another user
        Path home = Files.createTempDirectory(Path.of("/home"), "svc-home-test-");
        try {
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path notes = Files.writeString(home.resolve("notes.txt"), "open to others");
            Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("rw-r--r--"));
            ClusterSpec cluster = ClusterSpec.builder("homes")
                    .service(Sandboxes.probe("plain").setting("read", notes.toString()).setting("list", "/home"))
                    .service(Sandboxes.probe("declared").setting("read", notes.toString())
                            .permissions(new Permissions(Optional.of(List.of(notes)), List.of(), true, false)))
                    .build();
            try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
                manager.start();
                manager.awaitRunning(Duration.ofSeconds(60));
                Map<String, String> plain = Sandboxes.report(state, "plain");
                assertThat(plain.get("read " + notes)).startsWith("failed");
                assertThat(plain.get("list /home")).startsWith("ok").doesNotContain(home.getFileName().toString());
                assertThat(Sandboxes.report(state, "declared").get("read " + notes)).isEqualTo("ok open to others");
            }
        } finally {
            delete(home);
        }
    }

    /** A uid above the ones distributions hand out, below {@code ServiceUids}' block, of no account here. */
    private static int unusedUid() throws IOException {
        List<String> taken = Files.readAllLines(Path.of("/etc/passwd")).stream().map(line -> line.split(":"))
                .filter(fields -> fields.length > 2).map(fields -> fields[2]).toList();
        while (true) {
            int uid = 0x60000000 + ThreadLocalRandom.current().nextInt(1 << 16);
            if (!taken.contains(Integer.toString(uid))) {
                return uid;
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path path : all.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void giveTo(Path folder, int uid) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path path : all.toList()) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
