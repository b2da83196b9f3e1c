package io.servicescluster.core.ops;

import io.servicescluster.core.manager.RunFolders;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One manager's run folder, {@code CLUSTER-PID-x} under {@link RunFolders#base()} (docs/operations.md,
 * "Finding a manager"), as {@code svc clean} judges it: a manager that ended in order removed its
 * own; one that was killed left it behind, with its control socket, its CA and its registry entry.
 *
 * @param path the folder
 * @param cluster the cluster's name, from the folder's name
 * @param pid the manager's pid, from the folder's name
 * @param info its registry entry, if it wrote one (the control endpoint was on) and it is readable
 */
public record RunFolder(Path path, String cluster, long pid, Optional<ManagerInfo> info) {

    /** {@code CLUSTER-PID-SUFFIX}: the suffix is base 36, the cluster a valid name (R1), which may hold dashes. */
    private static final Pattern NAME = Pattern.compile("([a-z][a-z0-9-]*)-([0-9]+)-([0-9a-z]+)");

    /** The run folders of this user's managers, live or dead, by cluster then pid. */
    public static List<RunFolder> list() {
        return list(RunFolders.base());
    }

    /** The run folders in {@code base}; whatever is not named as a manager's is not one. */
    public static List<RunFolder> list(Path base) {
        List<RunFolder> found = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return found;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(base, Files::isDirectory)) {
            for (Path folder : folders) {
                Matcher name = NAME.matcher(folder.getFileName().toString());
                if (name.matches()) {
                    found.add(new RunFolder(folder, name.group(1), Long.parseLong(name.group(2)), read(folder)));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // the base folder vanished, or a pid beyond a long: no manager's
        }
        found.sort(Comparator.comparing(RunFolder::cluster).thenComparingLong(RunFolder::pid));
        return found;
    }

    private static Optional<ManagerInfo> read(Path folder) {
        try {
            return Optional.of(ManagerInfo.fromJson(Files.readString(folder.resolve(ManagerInfo.FILE_NAME))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no control endpoint, or a manager still starting
        }
    }

    /**
     * Whether the manager may still run: its registry entry says whether that very process runs
     * (pid and start time); without one, a live pid counts as the manager (it may be starting).
     */
    public boolean managerAlive() {
        return info.map(ManagerInfo::alive)
                .orElseGet(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** The cluster file the manager ran, if its entry says. */
    public Optional<Path> clusterFile() {
        return info.flatMap(ManagerInfo::clusterFile);
    }

    /**
     * Deletes the folder and everything in it.
     *
     * @throws IOException naming what could not be deleted
     */
    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
