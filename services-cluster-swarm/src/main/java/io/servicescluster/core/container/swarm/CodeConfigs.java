package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.container.ContainerException;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Carries class path entries (the remote runtime's and a service's {@code code.classpath}) to
 * whichever node runs a task, without a shared file system: each entry becomes a swarm
 * <em>config</em>, which the swarm hands to the node with the task over its own mutual TLS, mounted
 * read-only in the task's container at the entry's own path, so that the paths in the control
 * protocol are the same on the node as here. A jar travels as it is; a class folder as a jar of
 * its files (the JVM reads a class path entry that is a file as a jar, whatever its name). A
 * config is at most {@value #MAX_BYTES} bytes (the swarm's limit): a bigger entry is refused.
 *
 * <p>Named by content and this manager ({@code svc-code-DIGEST-MANAGER}): made once per manager,
 * shared by its services, counted per start that uses it, and removed when the last such start's
 * service is removed ({@link #release}); made and removed under one lock, so that a start never
 * gets a config that is being removed.
 */
final class CodeConfigs {

    /** The swarm's limit on a config's data (500 KiB). */
    static final int MAX_BYTES = 500 * 1024;

    private final DockerClient docker;
    private final String managerId;
    private final Map<String, String> labels;
    /** config name → id, of the configs this manager made or found and some start uses. */
    private final Map<String, String> made = new HashMap<>();
    /** config name → how many starts use it. */
    private final Map<String, Integer> uses = new HashMap<>();

    /** What one start was given: the configs to mount, and their names to {@link #release}. */
    record Shipped(List<ContainerSpecConfig> configs, List<String> names) {
    }

    CodeConfigs(DockerClient docker, String managerId, Map<String, String> labels) {
        this.docker = docker;
        this.managerId = managerId;
        this.labels = Map.copyOf(labels);
    }

    /**
     * The configs that put {@code classpath} (wildcards expanded) at the same paths in a task's container.
     *
     * @throws ContainerException naming an entry that is missing, unreadable or too big
     */
    Shipped ship(String service, List<Path> classpath) throws ContainerException {
        List<Path> entries;
        try {
            entries = ClassPath.expand(classpath);
        } catch (FileNotFoundException e) {
            throw new ContainerException("cannot ship the code of '" + service + "' to the swarm: " + e.getMessage(), e);
        }
        List<ContainerSpecConfig> configs = new ArrayList<>();
        Set<String> targets = new java.util.HashSet<>();
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        List<Path> targets2 = new ArrayList<>();
        for (Path entry : entries) {
            Path target = entry.toAbsolutePath().normalize();
            if (!targets.add(target.toString())) {
                continue;
            }
            byte[] content = content(service, target);
            names.add("svc-code-" + digest(content) + "-" + managerId);
            contents.add(content);
            targets2.add(target);
        }
        synchronized (this) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                byte[] content = contents.get(i);
                String id;
                try {
                    id = made.computeIfAbsent(name, n -> create(n, content));
                } catch (RuntimeException e) {
                    release(names.subList(0, i));
                    throw new ContainerException("cannot ship the code of '" + service + "' to the swarm as a config: "
                            + SwarmEngine.describe(e), e);
                }
                uses.merge(name, 1, Integer::sum);
                configs.add(new ContainerSpecConfig().withConfigID(id).withConfigName(name)
                        .withFile(new ContainerSpecFile().withName(targets2.get(i).toString()).withUid("0").withGid("0")
                                .withMode(0444L)));
            }
        }
        return new Shipped(configs, List.copyOf(names));
    }

    private String create(String name, byte[] content) {
        try {
            return docker.createConfigCmd().withName(name).withData(content).withLabels(labels).exec().getId();
        } catch (ConflictException exists) {
            return docker.inspectConfigCmd(name).exec().getId();
        }
    }

    /** One start is done with {@code names}: a config no start uses any more is removed (the swarm refuses while a service mounts it). */
    synchronized void release(List<String> names) {
        for (String name : names) {
            Integer left = uses.merge(name, -1, Integer::sum);
            if (left != null && left <= 0) {
                uses.remove(name);
                String id = made.remove(name);
                try {
                    docker.removeConfigCmd(id).exec();
                } catch (RuntimeException inUse) {
                    // gone already, or still held: the orphan clean-up of a later manager takes it
                }
            }
        }
    }

    private static byte[] content(String service, Path entry) throws ContainerException {
        try {
            byte[] bytes = Files.isDirectory(entry) ? jarOf(entry) : Files.readAllBytes(entry);
            if (bytes.length > MAX_BYTES) {
                throw new ContainerException("cannot ship the code of '" + service + "' to the swarm: " + entry + " is "
                        + bytes.length / 1024 + " KiB" + (Files.isDirectory(entry) ? " packed" : "") + ", and a swarm "
                        + "config holds at most " + MAX_BYTES / 1024 + " KiB; split it into smaller jars");
            }
            return bytes;
        } catch (IOException e) {
            throw new ContainerException("cannot read " + entry + " of '" + service + "' to ship it to the swarm: " + e, e);
        }
    }

    /** The files of a class folder as a jar: entries in name order, without times, so the same folder gives the same bytes. */
    static byte[] jarOf(Path folder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(folder.relativize(file).toString().replace('\\', '/'));
                entry.setTime(0);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
