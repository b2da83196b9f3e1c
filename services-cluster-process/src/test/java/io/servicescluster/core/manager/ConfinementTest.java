package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static io.servicescluster.testing.TestClusters.startCounter;
import static io.servicescluster.testing.TestClusters.testClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.support.ServiceUids;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.ManagerProcess;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.services.Attacker;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, items 1 and 5: a service without {@code permissions} is confined all the same — it
 * sees no other process, has no capability and another identity, reaches none of the manager's
 * files — and has a process limit; {@code resources.disk} bounds its work directory; nothing it
 * starts outlives it. Each attack is an {@link Attacker}; each test asserts the attack failed and
 * the bystander runs on. {@code unconfined: true} turns it off, visibly.
 */
class ConfinementTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @BeforeEach
    void needsBubblewrap() {
        Sandboxes.requireBubblewrap();
    }

    private static ServiceSpec.Builder attacker(String name, String attack) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(Attacker.class.getName(), testClasses()))
                .setting("attack", attack);
    }

    /** A number no other process has on its command line: the marker of the attacker's children. */
    private static long marker() {
        return 7_000_000 + ThreadLocalRandom.current().nextLong(1_000_000) * 2;
    }

    private static boolean anyProcessWith(String argument) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.isAlive() && p.info().arguments()
                .map(args -> Arrays.asList(args).contains(argument)).orElse(false));
    }

    private static String line(RecordingListener events, String service, String prefix) {
        await().atMost(WAIT).until(() -> events.lines(service, OutputStream.STDOUT).stream()
                .anyMatch(l -> l.startsWith(prefix)));
        return events.lines(service, OutputStream.STDOUT).stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow();
    }

    @Test
    void aServiceWithoutPermissionsReachesNoSiblingNoManagerFileAndNoControlSocket() throws Exception {
        Path clusterFile = Files.writeString(state.resolve("cluster.yaml"), "settings: { password: hunter2 }\n");
        Files.writeString(state.resolve("events.jsonl"), "{\"seq\":1}\n");
        // where the attacker finds the victim's host pid and the control socket (known only once the
        // manager runs): in its own work directory, the one folder of the state a sandbox shows it
        // (not under /tmp, which it does not show: the checkout itself may be there)
        Path pidFile = Files.createDirectories(ServiceProcesses.workDir(state, "attacker")).resolve("victim.pid");
        Files.createFile(pidFile);
        long manager = ProcessHandle.current().pid();
        List<String> files = new ArrayList<>(List.of(clusterFile.toString(), state.resolve("events.jsonl").toString(),
                ServiceProcesses.workDir(state, "victim").resolve("pid").toString()));
        Path rootOnly = Path.of("target", "root-only-" + marker()).toAbsolutePath();
        if (Sandboxes.managerIsRoot()) {
            // a file only its owner may read, where the sandbox shows the host's files (outside
            // /tmp and the state folder): root's, as /etc/shadow or /root/* are — a service of a
            // root manager runs as a user of its own and may not read it
            Files.writeString(rootOnly, "secret", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rw-------"));
            files.add(rootOnly.toString());
        }
        ServiceSpec attacker = attacker("attacker", "peek").setting("pids", Long.toString(manager))
                .setting("pidFile", pidFile.toString())
                .setting("files", String.join(":", files))
                .build();
        ClusterSpec cluster = new ClusterSpec("peek", state, Optional.of(clusterFile),
                List.of(ServiceSpec.builder("victim").code(CodeSpec.ofClass(
                        io.servicescluster.testing.services.Configurable.class.getName(), testClasses())).build(),
                        attacker));
        RecordingListener events = new RecordingListener();
        AtomicInteger accepted = new AtomicInteger();
        try (ServicesManager managerOfTest = ServicesManager.builder(cluster).stateDir(state).listener(events).build();
                ServerSocketChannel control = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // a control socket where the manager's is (ops ControlServer: RUN/control.sock)
            Path socket = managerOfTest.runDirectory().resolve("control.sock");
            control.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                try (SocketChannel caller = control.accept()) {
                    accepted.incrementAndGet();
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            managerOfTest.start();
            managerOfTest.awaitRunning(WAIT);
            long victim = managerOfTest.status("victim").pid().orElseThrow();
            Files.writeString(pidFile, victim + "\n" + socket + "\n");
            line(events, "attacker", "attacks: done");
            List<String> seen = events.lines("attacker", OutputStream.STDOUT);

            // its own pid namespace: no other process, the manager and the victim not even by number
            String processes = line(events, "attacker", "processes: ");
            assertThat(processes).doesNotContain(Long.toString(victim), Long.toString(manager));
            assertThat(processes.split(",")).hasSizeLessThanOrEqualTo(3);
            String status = line(events, "attacker", "status: ");
            assertThat(status).contains("CapEff: 0000000000000000", "NoNewPrivs: 1");
            if (Sandboxes.managerIsRoot()) {
                // a host user of its own, one per service, none of the host's
                assertThat(status).doesNotContain("Uid: 0 ");
                long attackerPid = managerOfTest.status("attacker").pid().orElseThrow();
                int attackerUid = (Integer) Files.getAttribute(Path.of("/proc/" + attackerPid), "unix:uid");
                int victimUid = (Integer) Files.getAttribute(Path.of("/proc/" + victim), "unix:uid");
                assertThat(attackerUid).isGreaterThanOrEqualTo(ServiceUids.FIRST).isNotEqualTo(victimUid);
                assertThat(victimUid).isGreaterThanOrEqualTo(ServiceUids.FIRST);
                assertThat(status).contains("Uid: " + attackerUid + " ");
            }
            for (long pid : List.of(manager, victim)) {
                assertThat(line(events, "attacker", "environ " + pid + ": ")).contains("FAILED");
                assertThat(line(events, "attacker", "mem " + pid + ": ")).contains("FAILED");
                assertThat(line(events, "attacker", "jcmd " + pid + ": ")).doesNotContain("exit 0");
            }
            assertThat(line(events, "attacker", "control: ")).contains("FAILED");
            assertThat(seen).filteredOn(l -> l.startsWith("read ")).hasSize(files.size())
                    .allMatch(l -> l.contains("FAILED"));
            assertThat(accepted).hasValue(0);
            assertThat(managerOfTest.status("victim").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(managerOfTest.status("victim").pid()).hasValue(victim);
            assertThat(managerOfTest.status("attacker").restrictions()).doesNotContain("unconfined");
        } finally {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(rootOnly);
        }
    }

    @Test
    void anotherServicesFilesWriteFolderIsHiddenUnlessDeclared() throws Exception {
        // outside /tmp (hidden anyway) and the state folder: where the host's root, shown read-only
        // to a service without files.read, would show what the writer keeps there
        Path shared = Files.createDirectories(Path.of("target", "write-paths-" + marker()).toAbsolutePath());
        Path data = shared.resolve("writer-data");
        Path secret = data.resolve("private");
        Path go = Files.createDirectories(ServiceProcesses.workDir(state, "attacker")).resolve("go");
        Files.createFile(go);
        Files.createDirectories(ServiceProcesses.workDir(state, "sharer"));
        Path goSharer = Files.createFile(ServiceProcesses.workDir(state, "sharer").resolve("go"));
        ClusterSpec cluster = ClusterSpec.builder("writes")
                .service(attacker("writer", "shell").setting("script", "echo secret > " + secret)
                        .permissions(new io.servicescluster.core.config.Permissions(Optional.empty(), List.of(data),
                                true, false)))
                .service(attacker("attacker", "peek").dependsOn("writer").setting("pidFile", go.toString())
                        .setting("files", secret.toString()))
                // declares it: sees it, as the cluster file says
                .service(attacker("sharer", "peek").dependsOn("writer").setting("pidFile", goSharer.toString())
                        .setting("files", secret.toString())
                        .permissions(new io.servicescluster.core.config.Permissions(Optional.of(List.of(data)),
                                List.of(), true, false)))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            line(events, "writer", "attacks: done");
            assertThat(secret).hasContent("secret");
            Files.writeString(go, "1\n");
            Files.writeString(goSharer, "1\n");
            assertThat(line(events, "attacker", "read " + secret + ": ")).contains("FAILED");
            assertThat(line(events, "sharer", "read " + secret + ": ")).endsWith("READ 7");
            assertThat(manager.status("writer").state()).isEqualTo(ServiceState.RUNNING);
        } finally {
            try (var files = Files.walk(shared)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void noSocketOfTheHostsRunFolderIsInSight() throws Exception {
        // as the D-Bus, systemd or rootless Docker sockets of the manager's user in /run/user/UID,
        // which a service of a manager that is not root, its user, could use to leave the sandbox
        Path run = Path.of("/run");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(run), "needs to write in /run");
        Path socket = run.resolve("svc-confinement-test-" + marker() + ".sock");
        AtomicInteger accepted = new AtomicInteger();
        ClusterSpec cluster = ClusterSpec.builder("run-folder").service(idle("bystander"))
                .service(attacker("attacker", "peek").setting("controlSocket", socket.toString())).build();
        RecordingListener events = new RecordingListener();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            Thread.ofVirtual().start(() -> {
                try (SocketChannel caller = server.accept()) {
                    accepted.incrementAndGet();
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
                manager.start();
                manager.awaitRunning(WAIT);
                assertThat(line(events, "attacker", "control: ")).contains("FAILED");
                assertThat(accepted).hasValue(0);
                assertThat(manager.status("bystander").state()).isEqualTo(ServiceState.RUNNING);
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void aFilesPathInsideTheStateFolderIsRefused() throws Exception {
        Path logs = state.resolve("logs");
        ClusterSpec cluster = ClusterSpec.builder("inside").service(idle("bystander"))
                .service(idle("forger").permissions(new io.servicescluster.core.config.Permissions(Optional.empty(),
                        List.of(logs), true, false)))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            assertThat(events.await("forger", Type.FAILED, WAIT).detail("reason")).contains(
                    "'forger' may not reach " + logs, "state folder " + state, "choose a path outside it");
            await().atMost(WAIT).until(() -> manager.status("bystander").state() == ServiceState.RUNNING);
        }
    }

    @Test
    void unconfinedIsShownAndRunsTheServiceAsBefore() throws Exception {
        long manager = ProcessHandle.current().pid();
        long marker = marker();
        ClusterSpec cluster = ClusterSpec.builder("unconfined")
                .service(attacker("open", "peek").setting("pids", Long.toString(manager)).unconfined(true))
                .service(attacker("parent", "children").setting("marker", Long.toString(marker)).unconfined(true))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager managerOfTest = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            managerOfTest.start();
            managerOfTest.awaitRunning(WAIT);
            assertThat(managerOfTest.status("open").restrictions()).startsWith("unconfined");
            assertThat(cluster.service("open").orElseThrow().restrictions()).containsExactly("unconfined");
            // the opt-out is real: it reads the manager's environment, as any process of its user
            assertThat(line(events, "open", "environ " + manager + ": ")).startsWith("environ " + manager + ": READ");
            line(events, "parent", "attacks: done");
            assertThat(anyProcessWith(Long.toString(marker))).isTrue();
        }
        // even unconfined, what it started ends with it: its cgroup is emptied at the close (R11)
        await().atMost(WAIT).until(() -> !anyProcessWith(Long.toString(marker))
                && !anyProcessWith(Long.toString(marker + 1)));
    }

    @Test
    void aForkBombStopsAtTheDefaultProcessLimitAndEndsWithTheService() throws Exception {
        Sandboxes.requirePidsCgroup();
        long marker = marker();
        ClusterSpec cluster = ClusterSpec.builder("forks").service(idle("bystander"))
                .service(attacker("bomber", "fork").setting("marker", Long.toString(marker))).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            long bystander = manager.status("bystander").pid().orElseThrow();
            String fork = line(events, "bomber", "fork: ");
            int started = Integer.parseInt(fork.substring("fork: ".length(), fork.indexOf(' ', "fork: ".length())));
            assertThat(started).as(fork).isLessThan(1024);
            assertThat(manager.status("bystander").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("bystander").pid()).hasValue(bystander);
            assertThat(manager.status("bomber").state()).isEqualTo(ServiceState.RUNNING);
        }
        await().atMost(WAIT).until(() -> !anyProcessWith(Long.toString(marker)));
    }

    @Test
    void anExplicitProcessLimitIsEnforcedToo() throws Exception {
        Sandboxes.requirePidsCgroup();
        long marker = marker();
        ClusterSpec cluster = ClusterSpec.builder("few-forks")
                .service(attacker("bomber", "fork").setting("marker", Long.toString(marker))
                        .resources(new Resources(OptionalLong.empty(), OptionalDouble.empty(), OptionalLong.of(100),
                                OptionalLong.empty())))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            String fork = line(events, "bomber", "fork: ");
            int started = Integer.parseInt(fork.substring("fork: ".length(), fork.indexOf(' ', "fork: ".length())));
            assertThat(started).as(fork).isLessThan(100);
            assertThat(manager.status("bomber").restrictions()).contains("pids: 100");
        }
    }

    @Test
    void aWritePastTheDiskLimitFailsAndTheWorkDirectoryPersists() throws Exception {
        Sandboxes.requireLoopMounts();
        Resources disk = new Resources(OptionalLong.empty(), OptionalDouble.empty(), OptionalLong.empty(),
                OptionalLong.of(16L << 20));
        ClusterSpec cluster = ClusterSpec.builder("disk").service(idle("bystander"))
                .service(attacker("filler", "disk").resources(disk))
                .service(startCounter("keeper").resources(disk)).build();
        for (int run = 1; run <= 2; run++) {
            RecordingListener events = new RecordingListener();
            try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
                manager.start();
                manager.awaitRunning(WAIT);
                String filled = line(events, "filler", "disk: ");
                assertThat(filled).contains("No space left on device");
                assertThat(Long.parseLong(filled.substring("disk: ".length(), filled.indexOf(' ', "disk: ".length()))))
                        .isLessThan(16);
                assertThat(line(events, "keeper", "start ")).isEqualTo("start " + run); // kept across runs
                assertThat(manager.status("bystander").state()).isEqualTo(ServiceState.RUNNING);
                assertThat(manager.status("filler").restrictions()).contains("disk: 16m");
            }
        }
    }

    @Test
    void childrenAndGrandchildrenEndWithTheCloseAndWithACrash() throws Exception {
        long closed = marker();
        long crashed = marker();
        ClusterSpec cluster = ClusterSpec.builder("children").service(idle("bystander"))
                .service(attacker("leaver", "children").setting("marker", Long.toString(closed)))
                .service(attacker("crasher", "children").setting("marker", Long.toString(crashed))
                        .setting("crashAfterMillis", "500"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            events.await("crasher", Type.CRASHED, WAIT);
            await().atMost(WAIT).until(() -> !anyProcessWith(Long.toString(crashed))
                    && !anyProcessWith(Long.toString(crashed + 1)));
            line(events, "leaver", "attacks: done");
            await().atMost(WAIT).until(() -> anyProcessWith(Long.toString(closed + 1)));
            assertThat(manager.status("bystander").state()).isEqualTo(ServiceState.RUNNING);
        }
        await().atMost(WAIT).until(() -> !anyProcessWith(Long.toString(closed))
                && !anyProcessWith(Long.toString(closed + 1)));
    }

    @Test
    void childrenAndGrandchildrenEndWhenTheManagerIsKilled() throws Exception {
        long marker = marker();
        ManagerProcess launched = ManagerProcess.launch(state, "0", "--children=" + marker);
        try {
            await().atMost(WAIT).until(() -> anyProcessWith(Long.toString(marker + 1)));
            launched.process().destroyForcibly(); // kill -9: no close, no hook
            launched.process().onExit().get(30, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> !anyProcessWith(Long.toString(marker))
                    && !anyProcessWith(Long.toString(marker + 1)));
        } finally {
            Processes.killTree(launched.process().pid());
            launched.pids().values().forEach(Processes::killTree);
        }
    }
}
