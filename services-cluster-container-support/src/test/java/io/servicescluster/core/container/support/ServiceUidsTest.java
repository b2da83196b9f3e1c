package io.servicescluster.core.container.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host identities of a root manager's services (issue 18): the registry and the hand-over. */
class ServiceUidsTest {

    @TempDir
    Path dir;
    private Path registry;

    @BeforeEach
    void ownRegistry() {
        registry = dir.resolve("uids");
        System.setProperty(ServiceUids.REGISTRY_PROPERTY, registry.toString());
    }

    @AfterEach
    void noRegistry() {
        System.clearProperty(ServiceUids.REGISTRY_PROPERTY);
    }

    @Test
    void eachServiceHasAnIdOfItsOwnKeptAcrossLookUpsAndTheClusterAGroup() throws IOException {
        Path cluster = Files.createDirectories(dir.resolve("state-a"));
        ServiceUids.Identity db = ServiceUids.of(cluster, "db");
        ServiceUids.Identity api = ServiceUids.of(cluster, "api");
        ServiceUids.Identity other = ServiceUids.of(Files.createDirectories(dir.resolve("state-b")), "db");
        assertThat(List.of(db.uid(), api.uid(), other.uid(), db.gid(), other.gid())).doesNotHaveDuplicates()
                .allMatch(id -> id >= ServiceUids.FIRST);
        assertThat(api.gid()).isEqualTo(db.gid());
        assertThat(ServiceUids.of(cluster, "db")).isEqualTo(db);
        assertThat(Files.readAllLines(registry)).contains(db.uid() + "\t" + cluster.toAbsolutePath() + "\tdb");
    }

    /**
     * The registry is replaced (written and synced) once per new id lookup, not once per id: a new
     * cluster's first service gets its user and the cluster's group in one replacement, the next
     * service its user in another. Counted with the folder's file events; a file made last marks
     * the end, since the events of one folder arrive in order.
     */
    @Test
    void aNewClustersFirstServiceAndItsGroupCostOneReplacementOfTheRegistry() throws Exception {
        Path cluster = Files.createDirectories(dir.resolve("state-once"));
        ServiceUids.of(Files.createDirectories(dir.resolve("state-before")), "db"); // the registry exists
        try (WatchService watcher = dir.getFileSystem().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            ServiceUids.Identity db = ServiceUids.of(cluster, "db");
            ServiceUids.of(cluster, "api");
            List<String> made = createdUntilEnd(watcher);
            assertThat(made).as("the registry replaced (moved in) once per call").containsExactly("uids.new", "uids",
                    "uids.new", "uids", "end");
            assertThat(Files.readAllLines(registry)).contains(db.uid() + "\t" + cluster.toAbsolutePath() + "\tdb",
                    db.gid() + "\t" + cluster.toAbsolutePath() + "\t");
        }
    }

    /**
     * The services of a new cluster, made at once, ask together: the lookups that wait while a
     * pass of the registry is under way are answered by one pass, with one synced replacement
     * (not one each in turn), every service its own id, the group one for all.
     */
    @Test
    void servicesAskingWhileAPassIsUnderWayShareOneReplacement() throws Exception {
        Path cluster = Files.createDirectories(dir.resolve("state-many"));
        ServiceUids.of(Files.createDirectories(dir.resolve("state-first")), "db"); // the registry exists
        int services = 20;
        Map<String, ServiceUids.Identity> given = new ConcurrentHashMap<>();
        try (WatchService watcher = dir.getFileSystem().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            List<Thread> askers = new ArrayList<>();
            ServiceUids.PASS.lock(); // a pass under way
            try {
                for (int i = 0; i < services; i++) {
                    String name = "s" + i;
                    askers.add(Thread.ofVirtual().start(() -> {
                        try {
                            given.put(name, ServiceUids.of(cluster, name));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> ServiceUids.PASS.getQueueLength() == services);
            } finally {
                ServiceUids.PASS.unlock();
            }
            for (Thread asker : askers) {
                asker.join(Duration.ofSeconds(30));
            }
            List<String> made = createdUntilEnd(watcher);
            assertThat(made).as("one replacement for all").containsExactly("uids.new", "uids", "end");
        }
        assertThat(given).hasSize(services);
        assertThat(given.values().stream().map(ServiceUids.Identity::uid).distinct()).hasSize(services);
        assertThat(given.values().stream().map(ServiceUids.Identity::gid).distinct()).hasSize(1);
        assertThat(given.values().stream().map(ServiceUids.Identity::uid)).doesNotContain(given.get("s0").gid());
        assertThat(ServiceUids.of(cluster, "s7")).isEqualTo(given.get("s7"));
    }

    @Test
    void anIdBelowTheRangeIsRefusedNeverUsed() throws IOException {
        Path cluster = dir.resolve("state-root");
        Files.writeString(registry, "0\t" + cluster.toAbsolutePath() + "\tdb\n");
        assertThatThrownBy(() -> ServiceUids.of(cluster, "db")).isInstanceOf(IOException.class)
                .hasMessageContaining("below " + ServiceUids.FIRST);
    }

    @Test
    void aGoneClustersLinesLeaveTheRegistryButItsIdsAreNeverGivenAgain() throws IOException {
        ServiceUids.Identity gone = ServiceUids.of(dir.resolve("state-gone"), "db"); // no such folder
        Path kept = Files.createDirectories(dir.resolve("state-kept"));
        ServiceUids.Identity api = ServiceUids.of(kept, "api");
        List<String> lines = Files.readAllLines(registry);
        assertThat(lines).noneMatch(line -> line.contains("state-gone"))
                .contains(api.uid() + "\t" + kept.toAbsolutePath() + "\tapi");
        assertThat(lines.getFirst()).isEqualTo("#next\t" + (Math.max(api.uid(), api.gid()) + 1));
        assertThat(List.of(api.uid(), api.gid())).allMatch(id -> id > Math.max(gone.uid(), gone.gid()));
    }

    @Test
    void aLineWithoutItsServiceIsSkippedAndItsIdNotGivenTwice() throws IOException {
        Path cluster = Files.createDirectories(dir.resolve("state-torn"));
        int torn = ServiceUids.FIRST + 7;
        Files.writeString(registry, torn + "\t" + cluster.toAbsolutePath()); // cut short by a crash of an older version
        ServiceUids.Identity api = ServiceUids.of(cluster, "api");
        assertThat(api.uid()).isNotEqualTo(torn);
        assertThat(Files.readAllLines(registry)).noneMatch(line -> line.startsWith(torn + "\t"));
    }

    @Test
    void aWritePathIsMadeOnlyUnderAFolderOnlyTheManagerWrites() throws IOException {
        assumeTrue(ServiceUids.managerIsRoot(), "hands folders over to other users: root only");
        ServiceUids.Identity user = new ServiceUids.Identity(ServiceUids.FIRST + 100, ServiceUids.FIRST + 101);
        Path mine = dir.resolve("data/inbox");
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        ServiceUids.prepareWritePaths("svc", List.of(mine, shared.resolve("inbox")), user);
        assertThat(Files.getAttribute(mine, "unix:uid")).isEqualTo(user.uid());
        assertThat(Files.getAttribute(mine.getParent(), "unix:gid")).isEqualTo(user.gid());
        assertThat(shared.resolve("inbox")).as("in a folder others may change: not made").doesNotExist();
    }

    @Test
    void handingOverAnEntryChangesALinkNeverWhatItPointsTo() throws IOException {
        assumeTrue(ServiceUids.managerIsRoot(), "hands files over to other users: root only");
        Path target = Files.writeString(dir.resolve("host-file"), "root's");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        ServiceUids.handOverEntry(link, new ServiceUids.Identity(ServiceUids.FIRST + 5, ServiceUids.FIRST + 6));
        assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(0);
        assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(ServiceUids.FIRST + 5);
    }

    /** Makes the file {@code end} in {@code dir}, then returns every file made there until it, in order. */
    private List<String> createdUntilEnd(WatchService watcher) throws IOException, InterruptedException {
        Files.createFile(dir.resolve("end"));
        List<String> made = new ArrayList<>();
        while (!made.contains("end")) {
            WatchKey key = watcher.poll(30, TimeUnit.SECONDS);
            assertThat(key).as("file events, so far: %s", made).isNotNull();
            key.pollEvents().forEach(event -> made.add(event.context().toString()));
            key.reset();
        }
        return made;
    }
}
