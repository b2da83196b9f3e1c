package io.servicescluster.core.container.support;

import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ScratchFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host user a confined service runs as when the manager is root (issue 18): one of its own
 * per service of a cluster, the same at every start of that service (its files stay its own
 * across restarts and runs), never shared with another service of any cluster on this host, and
 * never a user of the host: ids from {@link #FIRST}, a range that no distribution, systemd or
 * container tool hands out. Its group is the cluster's own (an id from the same range), so that a
 * {@code files.write} folder two services of a cluster declare is writable by both.
 *
 * <p>Which id a service has is kept in one registry per host ({@value #REGISTRY_PROPERTY}, by
 * default {@code /var/lib/services-cluster/uids}): a line {@code UID<TAB>STATE-FOLDER<TAB>SERVICE}
 * per service given one, one with an empty service for the cluster's group, and {@code #next}
 * with the next id to give. Lines of clusters whose state folder is gone are dropped when an id is
 * added (so the file stays as small as the host's clusters), but their ids are never given again.
 * it, so that two of them never give one id to two services.
 */
public final class ServiceUids {

    /** The first id given: {@code 0x70000000}, in the block systemd's uid ranges leave unused. */
    public static final int FIRST = 0x7000_0000;
    /** The system property naming the registry file (tests use a file of their own). */
    public static final String REGISTRY_PROPERTY = "servicescluster.uidRegistry";
    private static final Path DEFAULT_REGISTRY = Path.of("/var/lib/services-cluster/uids");
    /** The registry's line that holds the next id to give. */
    private static final String NEXT = "#next\t";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceUids.class);
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** Ids already looked up by this JVM, by registry key: a restart does not read the file again. */
    private static final Map<String, Integer> KNOWN = new ConcurrentHashMap<>();

    private ServiceUids() {
    }

    /**
     * A service's host user and its cluster's group.
     *
     * @param uid the service's own user id
     * @param gid its cluster's group id
     */
    public record Identity(int uid, int gid) {

        /** {@code UID:GID}, as {@code chown} and {@code docker run --user} take it. */
        @Override
        public String toString() {
            return uid + ":" + gid;
        }
    }

    /**
     * The identity of {@code service} of the cluster whose state folder is {@code stateDir}; given
     * on first use and kept.
     *
     * @throws IOException if the registry cannot be read or extended
     */
    public static Identity of(Path stateDir, String service) throws IOException {
        String cluster = stateDir.toAbsolutePath().normalize() + "\t";
        List<String> keys = List.of(cluster + service, cluster); // the group's line has an empty service
        Integer uid = KNOWN.get(keys.get(0));
        Integer gid = KNOWN.get(keys.get(1));
        if (uid == null || gid == null) {
            // both in one pass: a new cluster's first service costs one (synced) write of the registry, not two
            List<Integer> ids = lookUpOrAddTogether(registry(), keys);
            uid = ids.get(0);
            gid = ids.get(1);
            KNOWN.put(keys.get(0), uid);
            KNOWN.put(keys.get(1), gid);
        }
        return new Identity(uid, gid);
    }

    /** A key asked for in a registry, not yet answered. */
    private record Request(Path registry, String key) {
    }

    /** Keys asked for and not yet answered: the next pass of the registry answers all of its registry's. */
    private static final Map<Request, CompletableFuture<Integer>> ASKED = new ConcurrentHashMap<>();
    /** One pass of the registry at a time in this JVM (the file lock keeps other JVMs out). */
    static final ReentrantLock PASS = new ReentrantLock();

    /**
     * {@link #lookUpOrAdd} for {@code keys}, together with every key that others ask for while a
     * pass is under way: the services of a new cluster, made at once, share a few synced writes of
     * the registry instead of taking one each in turn.
     */
    private static List<Integer> lookUpOrAddTogether(Path registry, List<String> keys) throws IOException {
        List<CompletableFuture<Integer>> answers = keys.stream()
                .map(key -> ASKED.computeIfAbsent(new Request(registry, key), r -> new CompletableFuture<>())).toList();
        PASS.lock();
        try {
            if (!answers.stream().allMatch(CompletableFuture::isDone)) { // else a pass for others answered them
                List<Request> batch = ASKED.keySet().stream().filter(r -> r.registry().equals(registry)).toList();
                try {
                    List<Integer> ids = lookUpOrAdd(registry, batch.stream().map(Request::key).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        ASKED.remove(batch.get(i)).complete(ids.get(i));
                    }
                } catch (IOException | RuntimeException e) {
                    batch.forEach(request -> ASKED.remove(request).completeExceptionally(e));
                }
            }
        } finally {
            PASS.unlock();
        }
        List<Integer> ids = new ArrayList<>();
        for (CompletableFuture<Integer> answer : answers) {
            try {
                ids.add(answer.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw new IOException(io.getMessage(), io);
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return ids;
    }

    private static Path registry() {
        String configured = System.getProperty(REGISTRY_PROPERTY);
        return configured == null || configured.isBlank() ? DEFAULT_REGISTRY : Path.of(configured);
    }

    /** The ids of {@code keys}, in their order: those the registry has, and new ones for the others, added in one write. */
    private static List<Integer> lookUpOrAdd(Path registry, List<String> keys) throws IOException {
        Path folder = registry.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        // the lock has a file of its own: the registry itself is replaced whole (below)
        Path lockFile = folder.resolve(registry.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockChannel.lock()) {
            List<String> lines = Files.exists(registry) ? Files.readAllLines(registry, StandardCharsets.UTF_8) : List.of();
            int next = FIRST;
            Integer[] ids = new Integer[keys.size()];
            List<String> kept = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith(NEXT)) { // the highest id ever given, even to a line pruned since
                    next = Math.max(next, parseId(registry, line.substring(NEXT.length()), "#next"));
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab <= 0 || line.indexOf('\t', tab + 1) < 0) {
                    continue; // empty, or a line a crash cut short: its id was never used
                }
                int uid;
                String key = line.substring(tab + 1);
                try {
                    uid = parseId(registry, line.substring(0, tab), key);
                } catch (NumberFormatException e) {
                    continue;
                }
                int wanted = keys.indexOf(key);
                if (wanted >= 0 && ids[wanted] == null) {
                    ids[wanted] = uid;
                }
                next = Math.max(next, uid + 1);
                String stateDir = line.substring(tab + 1, line.indexOf('\t', tab + 1));
                if (Files.isDirectory(Path.of(stateDir))) {
                    kept.add(line); // a cluster whose state folder is gone needs its ids no more
                }
            }
            if (Arrays.stream(ids).allMatch(Objects::nonNull)) {
                return List.of(ids);
            }
            // replaced whole (a crash leaves the old file or the new one): the ids still in use, the
            // new ones, and the next id to give — never one given before, pruned or not
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == null) {
                    if (next < FIRST) { // wrapped past Integer.MAX_VALUE: 268 million services on one host
                        throw new IOException("no user id left in " + registry);
                    }
                    ids[i] = next++;
                    kept.add(ids[i] + "\t" + keys.get(i));
                }
            }
            StringBuilder content = new StringBuilder(NEXT).append(next).append('\n');
            kept.forEach(line -> content.append(line).append('\n'));
            Path temporary = folder.resolve(registry.getFileName() + ".new");
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(content.toString().getBytes(StandardCharsets.UTF_8)));
                out.force(false);
            }
            Files.move(temporary, registry, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return List.of(ids);
        }
    }

    /** An id of the registry: one of the block, whatever the file says (never root or a user of the host). */
    private static int parseId(Path registry, String text, String key) throws IOException {
        int uid = Integer.parseInt(text.strip());
        if (uid < FIRST) {
            throw new IOException(registry + " gives " + key.replace('\t', ' ') + " the id " + uid
                    + ", below " + FIRST + ": refused (remove that line)");
        }
        return uid;
    }

    /**
     * Makes the one file or folder {@code path} (not what it holds; a link itself, never what it
     * points to) belong to {@code identity}: a folder the manager has just made for the service
     * (its data socket folder, its scratch folder), which no walk of a tree another process may
     * change under it can be turned against.
     */
    public static void handOverEntry(Path path, Identity identity) throws IOException {
        if (Files.exists(path, NO_FOLLOW)) {
            own(path, identity);
        }
    }

    /**
     * The service's scratch folder ({@link ScratchFolder}), emptied (or made) for a start and,
     * under a root manager, handed to the service's own user {@code owner}.
     *
     * @throws ContainerException if it cannot be made or handed over
     */
    public static Path freshScratch(String service, Path workDir, Optional<Identity> owner) throws ContainerException {
        Path scratch = ScratchFolder.empty(service, workDir);
        if (owner.isPresent()) {
            try {
                handOverEntry(scratch, owner.get()); // made just now, by the manager
            } catch (IOException e) {
                throw new ContainerException("cannot hand the scratch folder of '" + service + "' over: " + e, e);
            }
        }
        return scratch;
    }

    /**
     * Makes the data socket folder {@code folder} belong to {@code owner} (user and group: the
     * cluster's) with mode 2750: the socket its remote makes there belongs to the group too (the
     * set-group-id bit), which the remote opens to its group alone, so that dependents — every
     * service of the cluster is of its group — may connect and no other user of the host may.
     * The folder only, never what it holds: a parent may change its child's.
     */
    public static void shareWithCluster(Path folder, Identity owner) throws IOException {
        own(folder, owner);
        Files.setAttribute(folder, "unix:mode", 02750, NO_FOLLOW);
    }

    /**
     * Makes {@code path}, and everything inside it if it is a folder, belong to {@code identity} — the work directory, the data socket folder, a {@code files.write} path — so
     * that the service can write there: its work directory, once, when it still holds what an
     * earlier, root-owned run left. Links are changed, never followed. Only while no process can
     * change the tree — no process of the service runs — since a folder swapped for a link between
     * the listing and the change would lead the change out of the tree (use {@link #handOverEntry}
     * for a folder others may write in). A folder that already belongs to it is taken as handed
     * over with all it holds (what the service made there is its own), so that a restart does not
     * walk it again.
     */
    public static void handOver(Path path, Identity identity) throws IOException {
        if (!Files.exists(path, NO_FOLLOW) || ownedBy(path, identity)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                own(dir, identity);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                own(file, identity);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Makes the {@code files.write} paths of {@code service} that do not exist yet, as folders of
     * its {@code identity} that its cluster's group may write too. One that exists is left as it is, whoever owns it — the cluster file
     * may name any folder, {@code /var} or the project's own, and handing that over would take it
     * from its owner — and, if its mode does not let the service write, a warning says so and how
     * to give it.
     */
    public static void prepareWritePaths(String service, List<Path> paths, Identity identity) throws IOException {
        for (Path path : paths) {
            Path absolute = path.toAbsolutePath().normalize();
            Path existing = absolute;
            while (existing != null && !Files.exists(existing, NO_FOLLOW)) {
                existing = existing.getParent();
            }
            if (existing == absolute) {
                if (!writableBy(absolute, identity)) {
                    LOG.warn("'{}' runs as user {} and may not write to its files.write path {}, which is not "
                            + "its own; give it with: chown -R {} {} (docs/security.md)", service, identity.uid(),
                            absolute, identity, absolute);
                }
                continue;
            }
            if (existing == null || !onlyTheManagerWrites(existing)) {
                // another process may change that folder while the manager makes folders in it and
                // hands them over, and turn the change onto a file of the host through a link
                LOG.warn("'{}': its files.write path {} is not made for it, as {} is writable by others than "
                        + "the manager; make it and give it with: mkdir -p {} && chown {} {} (docs/security.md)",
                        service, absolute, existing, absolute, identity, absolute);
                continue;
            }
            Files.createDirectories(absolute);
            // what was made here, from the first missing folder down, is the service's; the
            // cluster's other services that declare it may add files of their own
            for (Path folder = absolute; !folder.equals(existing); folder = folder.getParent()) {
                own(folder, identity);
                Files.getFileAttributeView(folder, PosixFileAttributeView.class, NO_FOLLOW)
                        .setPermissions(PosixFilePermissions.fromString("rwxrwxr-x"));
            }
        }
    }

    /** Whether only the manager's user may change what {@code folder} holds: its owner, and no group or other write. */
    private static boolean onlyTheManagerWrites(Path folder) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(folder, NO_FOLLOW);
        return (Integer) Files.getAttribute(folder, "unix:uid", NO_FOLLOW) == processUid()
                && !mode.contains(PosixFilePermission.GROUP_WRITE) && !mode.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private static boolean writableBy(Path folder, Identity identity) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(folder);
        if ((Integer) Files.getAttribute(folder, "unix:uid") == identity.uid()) {
            return mode.contains(PosixFilePermission.OWNER_WRITE);
        }
        if ((Integer) Files.getAttribute(folder, "unix:gid") == identity.gid()) {
            return mode.contains(PosixFilePermission.GROUP_WRITE);
        }
        return mode.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private static boolean ownedBy(Path path, Identity identity) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", NO_FOLLOW) == identity.uid()
                && (Integer) Files.getAttribute(path, "unix:gid", NO_FOLLOW) == identity.gid();
    }

    private static void own(Path path, Identity identity) throws IOException {
        if (!ownedBy(path, identity)) {
            Files.setAttribute(path, "unix:uid", identity.uid(), NO_FOLLOW);
            Files.setAttribute(path, "unix:gid", identity.gid(), NO_FOLLOW);
        }
    }

    /** Whether this JVM runs as root, whose confined services then run as users of their own. */
    public static boolean managerIsRoot() {
        return processUid() == 0;
    }

    /** This JVM's user id: the owner of {@code /proc/self}; -1 if unknown. */
    public static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
