package io.servicescluster.core.container.process;

import io.servicescluster.core.config.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cgroup that enforces one service's memory, CPU and process limits (R15). Paths, where
 * PATH is {@code GROUP/SERVICE} for a declared service and {@code PARENTPATH/CHILD} for a child
 * spawned at run time (R8), nested in its parent's, so that the parent's limits bound the parent
 * and all its children together:
 * <ul>
 *   <li>cgroup v1: {@code ROOT/memory/services-cluster/PATH} (memory.limit_in_bytes, and
 *       memory.memsw.limit_in_bytes where swap is accounted) and {@code ROOT/cpu/…/PATH}
 *       (cpu.cfs_quota_us over cpu.cfs_period_us) and {@code ROOT/pids/…/PATH} (pids.max); the
 *       service's processes in that folder (v1 lets a folder with processes hold others);
 *   <li>cgroup v2 (when {@code ROOT/cgroup.controllers} exists): {@code ROOT/services-cluster/PATH}
 *       with memory.max, memory.swap.max 0, memory.oom.group 1, cpu.max and pids.max; the
 *       service's processes in its leaf {@code PATH/_remote} ({@link #V2_LEAF}): v2 lets only a
 *       folder without processes give its controllers to the folders in it (its children's).
 * </ul>
 * GROUP is unique per manager ({@code CLUSTER-PID-…}, the name of its run folder). Made (again)
 * at every launch, so that a folder removed meanwhile is simply recreated; removed at destroy.
 * Folders that managers left behind when they were killed are swept when their pid is gone.
 * Not thread-safe; a container calls it from one thread at a time.
 */
final class ServiceCgroup {

    static final String BASE = "services-cluster";
    static final long CPU_PERIOD_MICROS = 100_000;
    private static final long MIN_CPU_QUOTA_MICROS = 1_000;
    private static final long EMPTY_WAIT_MILLIS = 5_000;
    private static final Pattern GROUP_NAME = Pattern.compile(".*-([0-9]+)-[0-9a-z]+");
    /** v2: the folder in a service's that holds its processes ({@code _} is in no service name, R1). */
    static final String V2_LEAF = "_remote";

    private final boolean v2;
    /** Where this cgroup lies under {@link #BASE}: {@code GROUP/SERVICE}, or its parent's path and the child's name. */
    private final Path path;
    /** Every service folder, one per controller in v1, one in v2. */
    private final List<Path> folders;
    private final Path memoryFolder;
    private long oomKillsAtLaunch;
    private long failuresAtLaunch;

    private ServiceCgroup(boolean v2, Path path, List<Path> folders, Path memoryFolder) {
        this.v2 = v2;
        this.path = path;
        this.folders = List.copyOf(folders);
        this.memoryFolder = memoryFolder;
    }

    /** Where this cgroup lies under the hierarchy's {@code services-cluster} folder: a child's goes in it. */
    Path path() {
        return path;
    }

    /** {@code v2} when {@code root} holds the unified hierarchy, else {@code v1}. */
    static String version(Path root) {
        return Files.exists(root.resolve("cgroup.controllers")) ? "v2" : "v1";
    }

    /**
     * Makes the cgroup at {@code path} ({@code GROUP/SERVICE}, or a parent's {@link #path} and the
     * child's name) with {@code resources}' limits and notes its
     * out-of-memory count, so that {@link #oomKilled} sees only kills of the coming launch.
     *
     * @throws IOException if the cgroups cannot be made or written: the message says which file
     *     or controller, for users
     */
    static ServiceCgroup prepare(Path root, Path path, Resources resources) throws IOException {
        ServiceCgroup cgroup = version(root).equals("v2") ? prepareV2(root, path, resources)
                : prepareV1(root, path, resources);
        cgroup.oomKillsAtLaunch = cgroup.oomKills();
        cgroup.failuresAtLaunch = cgroup.failures();
        return cgroup;
    }

    private static ServiceCgroup prepareV1(Path root, Path path, Resources resources) throws IOException {
        List<Path> folders = new ArrayList<>();
        try {
            return prepareV1(root, path, resources, folders);
        } catch (IOException e) {
            new ServiceCgroup(false, path, folders, null).remove(); // what was made before the failure
            throw e;
        }
    }

    private static ServiceCgroup prepareV1(Path root, Path path, Resources resources, List<Path> folders)
            throws IOException {
        Path memory = null;
        if (resources.memoryBytes().isPresent()) {
            memory = v1Folder(root, "memory", "memory.limit_in_bytes", path);
            folders.add(memory);
            String limit = Long.toString(resources.memoryBytes().getAsLong());
            write(memory.resolve("memory.limit_in_bytes"), limit);
            Path withSwap = memory.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(withSwap)) {
                write(withSwap, limit); // no swapping past the limit either
            }
        }
        if (resources.cpus().isPresent()) {
            Path cpu = v1Folder(root, "cpu", "cpu.cfs_quota_us", path);
            folders.add(cpu);
            write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_MICROS));
            write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(resources.cpus().getAsDouble())));
        }
        if (resources.pids().isPresent()) {
            Path pids = v1Folder(root, "pids", "cgroup.procs", path);
            folders.add(pids);
            write(pids.resolve("pids.max"), Long.toString(resources.pids().getAsLong()));
        }
        return new ServiceCgroup(false, path, folders, memory);
    }

    private static Path v1Folder(Path root, String controller, String probe, Path path) throws IOException {
        Path mount = root.resolve(controller);
        if (!Files.exists(mount.resolve(probe))) {
            throw new IOException("no cgroup v1 '" + controller + "' controller is mounted at " + mount);
        }
        Path base = mount.resolve(BASE);
        sweepStale(base);
        Path folder = base.resolve(path);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException("cannot make the cgroup " + folder + ": " + reason(e), e);
        }
        return folder;
    }

    private static ServiceCgroup prepareV2(Path root, Path path, Resources resources) throws IOException {
        Set<String> available = new HashSet<>(Arrays.asList(read(root.resolve("cgroup.controllers")).split("\\s+")));
        List<String> needed = new ArrayList<>();
        resources.memoryBytes().ifPresent(m -> needed.add("memory"));
        resources.cpus().ifPresent(c -> needed.add("cpu"));
        resources.pids().ifPresent(n -> needed.add("pids"));
        List<String> missing = needed.stream().filter(c -> !available.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IOException("the cgroup v2 hierarchy at " + root + " does not offer the controller(s) "
                    + String.join(", ", missing) + " (it offers: " + String.join(" ", available).trim() + ")");
        }
        String enable = String.join(" ", needed.stream().map(c -> "+" + c).toList());
        Path base = root.resolve(BASE);
        Path folder = base.resolve(path);
        Path leaf = folder.resolve(V2_LEAF);
        try {
            write(root.resolve("cgroup.subtree_control"), enable);
            Files.createDirectories(base);
            sweepStale(base);
            // every folder from the base to the service's own gives the controllers on: none
            // holds processes (a parent's are in its leaf), so its children's may nest in it
            Path level = base;
            write(level.resolve("cgroup.subtree_control"), enable);
            for (Path name : path) {
                level = level.resolve(name);
                Files.createDirectories(level);
                write(level.resolve("cgroup.subtree_control"), enable);
            }
            Files.createDirectories(leaf);
        } catch (IOException e) {
            throw new IOException("cannot make the cgroup " + folder + ": " + reason(e), e);
        }
        if (resources.memoryBytes().isPresent()) {
            write(folder.resolve("memory.max"), Long.toString(resources.memoryBytes().getAsLong()));
            writeIfExists(folder.resolve("memory.swap.max"), "0");
            writeIfExists(folder.resolve("memory.oom.group"), "1");
        }
        if (resources.cpus().isPresent()) {
            write(folder.resolve("cpu.max"), quotaMicros(resources.cpus().getAsDouble()) + " " + CPU_PERIOD_MICROS);
        }
        if (resources.pids().isPresent()) {
            write(folder.resolve("pids.max"), Long.toString(resources.pids().getAsLong()));
        }
        // the limits on the service's folder, which holds its children's too; the leaf's own
        // counts (memory.events) are the service's processes' alone
        return new ServiceCgroup(true, path, List.of(leaf), resources.memoryBytes().isPresent() ? leaf : null);
    }

    /** The quota in microseconds per {@link #CPU_PERIOD_MICROS} for {@code cpus} cores. */
    static long quotaMicros(double cpus) {
        return Math.max(MIN_CPU_QUOTA_MICROS, Math.round(cpus * CPU_PERIOD_MICROS));
    }

    /** The {@code cgroup.procs} files that list the processes in every folder of this cgroup. */
    List<Path> procsFiles() {
        return folders.stream().map(f -> f.resolve("cgroup.procs")).toList();
    }

    /**
     * The files the launch shell writes {@code 0} (itself) to, to join every folder of this cgroup
     * before it becomes the service: v1's {@code tasks}, v2's {@code cgroup.procs}. In v1, moving
     * a whole process ({@code cgroup.procs}, or a pid in {@code tasks}) takes the kernel's global
     * thread-group lock for writing, which waits for an RCU grace period: 2–20 ms a start, more
     * the busier the host; moving only the writing thread does not take it (~0.05 ms). The shell
     * has one thread, so that moves the whole process, and whatever it execs and starts follows.
     */
    List<Path> joinFiles() {
        return folders.stream().map(f -> f.resolve(v2 ? "cgroup.procs" : "tasks")).toList();
    }

    /** The service folders of this cgroup (v1: one per controller). */
    List<Path> folders() {
        return folders;
    }

    /**
     * Whether the kernel killed a process of this cgroup for exceeding its memory limit since
     * {@link #prepare}: the {@code oom_kill} count of memory.oom_control (v1) or memory.events
     * (v2); where the kernel has no such count, a hit of the limit followed by a SIGKILL.
     */
    boolean oomKilled(int exitCode) {
        if (memoryFolder == null) {
            return false;
        }
        long kills = oomKills();
        if (kills >= 0) {
            return kills > oomKillsAtLaunch;
        }
        return failures() > failuresAtLaunch && exitCode == 128 + 9;
    }

    /** The oom_kill count, or -1 if unknown. */
    private long oomKills() {
        if (memoryFolder == null) {
            return -1;
        }
        Path file = memoryFolder.resolve(v2 ? "memory.events" : "memory.oom_control");
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return -1;
    }

    /** How often the memory limit was hit (v1 memory.failcnt), or -1 if unknown. */
    private long failures() {
        if (memoryFolder == null || v2) {
            return -1;
        }
        try {
            return Long.parseLong(read(memoryFolder.resolve("memory.failcnt")));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Kills every process left in this cgroup: whatever the service started, double-forked or
     * not, reparented or not (R11 for an unconfined service, whose processes no pid namespace
     * ends). Never throws.
     */
    void killAll() {
        for (int round = 0; round < 3; round++) { // a fork racing the kill joins the cgroup: again
            for (Path procs : procsFiles()) {
                try {
                    Files.readAllLines(procs, StandardCharsets.US_ASCII).stream().map(String::trim)
                            .filter(l -> !l.isEmpty()).map(Long::parseLong).map(ProcessHandle::of)
                            .forEach(p -> p.ifPresent(ProcessHandle::destroyForcibly));
                } catch (IOException | RuntimeException e) {
                    // gone already
                }
            }
        }
    }

    /**
     * Kills what is left ({@link #killAll}), then removes the service folders, deepest first (a
     * v2 leaf, a child's folder left behind), waiting up to 5 s each for their last processes to
     * be gone, and the manager's group folder once it is empty. Never throws.
     */
    void remove() {
        killAll();
        for (Path folder : folders) {
            Path service = v2 ? folder.getParent() : folder;
            removeTree(service, true);
            if (path.getNameCount() == 2) { // a declared service's: its group is the manager's
                removeQuietly(service.getParent()); // fails while other services' folders remain: fine
            }
        }
    }

    /** Removes {@code folder} and the folders in it, deepest first; with {@code wait}, as {@link #removeFolder}. */
    private static void removeTree(Path folder, boolean wait) {
        try (DirectoryStream<Path> inner = Files.newDirectoryStream(folder, Files::isDirectory)) {
            inner.forEach(f -> removeTree(f, wait));
        } catch (IOException | RuntimeException e) {
            // gone already
        }
        if (wait) {
            removeFolder(folder);
        } else {
            removeQuietly(folder);
        }
    }

    private static void removeFolder(Path folder) {
        long deadline = System.currentTimeMillis() + EMPTY_WAIT_MILLIS;
        while (Files.isDirectory(folder)) {
            if (removeQuietly(folder) || System.currentTimeMillis() > deadline) {
                return;
            }
            try {
                Thread.sleep(10); // the killed processes are still being torn down by the kernel
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean removeQuietly(Path folder) {
        try {
            Files.deleteIfExists(folder); // rmdir: a cgroup folder's files go with it
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes the group folders of managers that are gone (killed before they could clean up),
     * where no process is left in them. Never throws.
     */
    private static void sweepStale(Path base) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (DirectoryStream<Path> groups = Files.newDirectoryStream(base, Files::isDirectory)) {
            for (Path group : groups) {
                Matcher name = GROUP_NAME.matcher(group.getFileName().toString());
                if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()) {
                    removeTree(group, false);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    private static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + reason(e), e);
        }
    }

    private static void writeIfExists(Path file, String value) throws IOException {
        if (Files.exists(file)) {
            write(file, value);
        }
    }

    private static String reason(IOException e) {
        String reason = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            reason = fs.getReason();
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        }
        return reason == null ? e.getClass().getSimpleName() : reason.toLowerCase(Locale.ROOT);
    }
}
