package io.servicescluster.core.manager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a service's resolved class path looked like just before a waiting remote (a spare of the
 * warm pool, or one launched ahead) was launched: its entries and, for every file in them (through
 * links, as a class loader reads them), the path, size, modification time and inode. That remote
 * loaded the service's class after it (from its first moment for a class service, whose class the
 * launch names, else when its code went ahead); if the
 * class path changed since — the developer rebuilt the jar or {@code target/classes}, a jar was
 * added to {@code lib/*} — the start must not use it, but launch a remote that reads the class
 * path as it is now. Stamps only (no file is read): cheap enough for every such start.
 */
record ClassPathStamp(String digest) {

    /** The stamp of {@code classpath} as it is now. */
    static ClassPathStamp of(List<Path> classpath) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java runtime has SHA-256", e);
        }
        for (Path entry : classpath) {
            update(digest, "entry " + entry);
            for (String file : files(entry)) {
                update(digest, file);
            }
        }
        return new ClassPathStamp(HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * The stamps of the files of one class path entry, in order: through links, as the remote's
     * class loader reads them (a class folder may be a link to the build's output); a folder it
     * cannot read, or a link that loops, counts as such and the rest is still stamped.
     */
    private static List<String> files(Path entry) {
        SortedMap<Path, String> files = new TreeMap<>();
        try {
            Files.walkFileTree(entry, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                            files.put(folder, stamp(folder, attributes));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            files.put(file, stamp(file, attributes));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            files.put(file, file + " unreadable " + e.getClass().getSimpleName()); // as it stays until it changes
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            files.put(entry, entry + " unreadable");
        }
        return List.copyOf(files.values());
    }

    private static String stamp(Path file, BasicFileAttributes attributes) {
        return file + " " + attributes.size() + " " + attributes.lastModifiedTime() + " " + attributes.fileKey();
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(bytes);
        digest.update((byte) 0);
    }
}
