package io.servicescluster.core.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a service's resolved class path looked like when its code went ahead to a waiting remote
 * (a spare of the warm pool, or one launched ahead): its entries and, for every file in them, the
 * path, size, modification time and inode. That remote loaded the service's class then; if the
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
            try (Stream<Path> files = Files.isDirectory(entry) ? Files.walk(entry) : Stream.of(entry)) {
                for (Path file : files.sorted().toList()) {
                    update(digest, stamp(file));
                }
            } catch (IOException | UncheckedIOException e) {
                update(digest, "unreadable " + entry); // as it stays until it changes
            }
        }
        return new ClassPathStamp(HexFormat.of().formatHex(digest.digest()));
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return file + " " + attributes.size() + " " + attributes.lastModifiedTime() + " " + attributes.fileKey();
        } catch (IOException e) {
            return file + " absent";
        }
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(bytes);
        digest.update((byte) 0);
    }
}
