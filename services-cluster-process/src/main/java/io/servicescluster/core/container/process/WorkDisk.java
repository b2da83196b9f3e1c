package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.support.ServiceUids;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Enforces {@code resources.disk} (docs/sandbox.md): the work directory is a file system of its
 * own, an ext4 image of exactly that size in the state folder ({@code .svc/CLUSTER/disk/NAME.ext4}),
 * loop-mounted on the work directory while the container exists. A write past it fails with
 * {@code No space left on device}, and nothing else of the host fills up. The image is a file,
 * so the work directory keeps its content across restarts and runs, as without a limit.
 *
 * <p>Why an image: a size-limited tmpfs does not persist, and project quotas (XFS, ext4
 * {@code prjquota}) need a file system mounted with them, which this cannot assume. Mounting
 * needs root, {@code mkfs.ext4} and loop devices; without them the start fails (R15, fail closed).
 */
final class WorkDisk {

    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private WorkDisk() {
    }

    /**
     * Mounts {@code workDir}'s image (made on first use; the folder's earlier content moved into
     * it), unless it is mounted already (a manager killed before it could unmount).
     *
     * @throws ContainerException if it cannot: not root, no {@code mkfs.ext4}, no loop device,
     *     or an image of another size
     */
    static void mount(ServiceSpec spec, Path workDir, long bytes) throws ContainerException {
        Path image = workDir.getParent().getParent().resolve("disk").resolve(workDir.getFileName() + ".ext4");
        try {
            if (isMountPoint(workDir)) {
                return;
            }
            if (!Files.isWritable(Path.of("/dev/loop-control")) || ServiceUids.processUid() != 0) {
                throw new IOException("mounting its file system image needs a manager running as root with loop "
                        + "devices (/dev/loop-control)");
            }
            if (Files.exists(image) && Files.size(image) != bytes) {
                throw new IOException("its image " + image + " was made for another size (" + Files.size(image)
                        + " bytes): move its data out and remove it to make a new one");
            }
            boolean fresh = !Files.exists(image);
            if (fresh) {
                Files.createDirectories(image.getParent());
                try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                    file.setLength(bytes); // sparse: the disk takes what the service writes
                }
                run(List.of(tool("mkfs.ext4"), "-q", "-F", "-m", "0", image.toString()));
            }
            boolean hadContent = fresh && !isEmpty(workDir);
            Path earlier = workDir.resolveSibling(workDir.getFileName() + ".before-disk");
            if (hadContent) {
                Files.move(workDir, earlier);
            }
            Files.createDirectories(workDir);
            run(List.of(tool("mount"), "-o", "loop,nosuid,nodev", image.toString(), workDir.toString()));
            if (hadContent) {
                run(List.of("cp", "-a", earlier + "/.", workDir.toString()));
                run(List.of("rm", "-rf", earlier.toString()));
            }
        } catch (IOException e) {
            String limit = spec.resources().describe().stream().filter(d -> d.startsWith("disk")).findFirst()
                    .orElse("disk");
            throw new ContainerException("the process container cannot enforce " + limit + " for '" + spec.name()
                    + "': " + e.getMessage() + "; remove the limit, or run the manager as root on a host with loop "
                    + "devices and e2fsprogs", e);
        }
    }

    /** Unmounts {@code workDir}'s image, if mounted; the image stays. Never throws. */
    static void unmount(Path workDir) {
        try {
            if (isMountPoint(workDir)) {
                // lazily: a process of the service that is still being torn down holds it a moment
                run(List.of(tool("umount"), "-l", workDir.toString()));
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(WorkDisk.class).warn("cannot unmount {}: {}", workDir, e.getMessage());
        }
    }

    /** Whether a file system is mounted on {@code folder} (in this process's mount namespace). */
    static boolean isMountPoint(Path folder) throws IOException {
        String path = folder.toAbsolutePath().normalize().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            // field 5 is the mount point, with spaces and the like escaped as octal
            return lines.map(l -> l.split(" ")).anyMatch(f -> f.length > 4 && f[4].replace("\\040", " ").equals(path));
        }
    }

    private static boolean isEmpty(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String tool(String name) throws IOException {
        return SBIN.stream().map(f -> Path.of(f, name)).filter(Files::isExecutable).findFirst()
                .map(Path::toString).orElseThrow(() -> new IOException(name + " is not installed (looked in "
                        + String.join(", ", SBIN) + "; Debian: apt-get install e2fsprogs mount)"));
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
        }
    }
}
