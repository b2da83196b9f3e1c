package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static io.servicescluster.testing.TestClusters.testClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.process.HostTools;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.services.HostileParent;
import io.servicescluster.testing.services.SpawningParent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's review, on children (R8), with real processes: a parent cannot turn its child's data
 * folder into a link to what the sandbox hides; a service and its descendants have at most {@link
 * Children#DEFAULT_MAX_CHILDREN} children (here made 2); a child's processes count against its
 * parent's process limit (its cgroup lies in the parent's).
 */
class ChildConfinementTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Permissions MAY_SPAWN = new Permissions(Optional.empty(), List.of(), true, true);
    private static final String SECRET = "only-the-manager-" + ThreadLocalRandom.current().nextLong(1_000_000);

    @TempDir
    Path state;

    private final RecordingListener events = new RecordingListener();

    @BeforeEach
    void needsBubblewrap() {
        Sandboxes.requireBubblewrap();
    }

    private static ServiceSpec.Builder hostileParent(String attack) {
        return ServiceSpec.builder("parent").code(CodeSpec.ofClass(HostileParent.class.getName(), testClasses()))
                .permissions(MAY_SPAWN).setting("attack", attack);
    }

    private ServicesManager manager(ClusterSpec cluster) {
        return ServicesManager.builder(cluster).stateDir(state).listener(events).build();
    }

    private String line(String service, String prefix) {
        try {
            await().atMost(WAIT).until(() -> events.lines(service, OutputStream.STDOUT).stream()
                    .anyMatch(l -> l.startsWith(prefix)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no '" + prefix + "' from " + service + "; events: " + events.history()
                    + "; its lines: " + events.lines(service, OutputStream.STDOUT) + events.lines(service,
                    OutputStream.STDERR), e);
        }
        return events.lines(service, OutputStream.STDOUT).stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow();
    }

    @Test
    void aParentCannotTurnItsChildsDataFolderIntoALinkToWhatIsHidden() throws Exception {
        Files.writeString(state.resolve("secret.txt"), SECRET); // in the state folder: hidden from every service
        // the child lists its data folder and reads the secret through it and directly
        String script = "d=$(dirname \"$(dirname \"${SVC_DATA#unix:}\")\"); echo \"own: $(ls -A \"$d\" | tr '\\n' ' ')\"; "
                + "cat \"$d/secret.txt\"; cat " + state.resolve("secret.txt") + "; echo end";
        ClusterSpec cluster = ClusterSpec.builder("links")
                .service(idle("bystander"))
                .service(hostileParent("link").setting("target", state.toString())
                        .setting("kid.attack", "shell").setting("kid.script", script))
                .build();
        try (ServicesManager manager = manager(cluster)) {
            manager.start();
            manager.awaitRunning(WAIT);
            long bystander = manager.status("bystander").pid().orElseThrow();
            // the parent's own data folder is read-only in its sandbox: no link, no swap
            assertThat(line("parent", "prelink: ")).contains("FAILED", "Read-only file system");
            assertThat(line("parent", "spawned: ")).isEqualTo("spawned: ok");
            assertThat(line("parent", "swap: ")).doesNotEndWith(": ok");
            // the child runs with its own, real folder and sees nothing hidden
            String shell = line("kid", "shell: ");
            assertThat(shell).contains("own: _sockets |", "end").doesNotContain(SECRET);
            assertThat(manager.status("kid").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("parent").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("bystander").pid()).hasValue(bystander);
        }
    }

    @Test
    void aParentGetsAnErrorPastTheMostChildrenAndTheClusterRunsOn() throws Exception {
        String before = System.getProperty(Children.MAX_CHILDREN_PROPERTY);
        System.setProperty(Children.MAX_CHILDREN_PROPERTY, "2"); // read when the manager is made
        try {
            ClusterSpec cluster = ClusterSpec.builder("many")
                    .service(idle("bystander"))
                    .service(ServiceSpec.builder("parent").setting("spawn", "a:class,b:class,c:class")
                            .code(CodeSpec.ofClass(SpawningParent.class.getName(), testClasses())).permissions(MAY_SPAWN))
                    .build();
            try (ServicesManager manager = manager(cluster)) {
                manager.start();
                manager.awaitRunning(WAIT);
                assertThat(line("parent", "ok spawn#0 ")).endsWith("echo:hello a");
                assertThat(line("parent", "ok spawn#1 ")).endsWith("echo:hello b");
                assertThat(line("parent", "ok spawn#2 ")).contains("spawn refused: 'parent' has 2 children already");
                assertThat(manager.status()).extracting(ServiceStatus::name)
                        .containsExactly("bystander", "parent", "a", "b");
                assertThat(manager.status()).allMatch(s -> s.state() == ServiceState.RUNNING);
                assertThat(events.historyOf("c")).isEmpty();
            }
        } finally {
            if (before == null) {
                System.clearProperty(Children.MAX_CHILDREN_PROPERTY);
            } else {
                System.setProperty(Children.MAX_CHILDREN_PROPERTY, before);
            }
        }
    }

    @Test
    void aChildsProcessesCountAgainstItsParentsProcessLimit() throws Exception {
        Sandboxes.requirePidsCgroup();
        String marker = Long.toString(7_000_001 + ThreadLocalRandom.current().nextLong(1_000_000) * 2);
        // the child keeps 50 processes — 100 pids: each has a reaper thread in the JVM — then the
        // parent starts as many as it can. Each had a limit of 300 of its own before: the parent got
        // (300 - its JVM's threads) / 2, over 100. Now the child's 100 pids and both JVMs' threads
        // count against the parent's limit: fewer than (300 - 100) / 2 are left for it.
        ClusterSpec cluster = ClusterSpec.builder("forks")
                .service(hostileParent("fork").setting("marker", marker)
                        .setting("kid.attack", "fork").setting("kid.marker", marker).setting("kid.forks", "50")
                        .resources(new Resources(OptionalLong.empty(), OptionalDouble.empty(), OptionalLong.of(300),
                                OptionalLong.empty())))
                .build();
        try (ServicesManager manager = manager(cluster)) {
            manager.start();
            manager.awaitRunning(WAIT);
            assertThat(line("kid", "fork: ")).isEqualTo("fork: 50 started; failure: none");
            assertThat(line("parent", "spawned: ")).isEqualTo("spawned: ok");
            String fork = line("parent", "fork: ");
            int started = Integer.parseInt(fork.split(" ")[1]);
            assertThat(started).as(fork).isLessThan(100);
            assertThat(fork).doesNotContain("failure: none");
            // the child's cgroup lies in the parent's, whose count holds the child's processes
            Path parentGroup = serviceCgroup("forks", "parent");
            assertThat(parentGroup.resolve("kid")).isDirectory();
            assertThat(read(parentGroup.resolve("pids.max"))).isEqualTo(300);
            assertThat(read(parentGroup.resolve("pids.current"))).isGreaterThan(100).isLessThanOrEqualTo(300);
            await().atMost(WAIT).until(() -> manager.status("parent").state() == ServiceState.RUNNING
                    && manager.status("kid").state() == ServiceState.RUNNING);
        }
        await().atMost(WAIT).until(() -> ProcessHandle.allProcesses().noneMatch(p -> p.isAlive()
                && p.info().arguments().map(args -> Arrays.asList(args).contains(marker)).orElse(false)));
    }

    /** The pids cgroup folder of a declared service of this test's manager (v1: the pids hierarchy's; v2: the one). */
    private static Path serviceCgroup(String cluster, String service) throws IOException {
        Path root = HostTools.detect().cgroupRoot();
        Path base = (Files.exists(root.resolve("cgroup.controllers")) ? root : root.resolve("pids"))
                .resolve("services-cluster");
        String group = cluster + "-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> groups = Files.list(base)) {
            return groups.filter(g -> g.getFileName().toString().startsWith(group)).map(g -> g.resolve(service))
                    .filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private static long read(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }
}
