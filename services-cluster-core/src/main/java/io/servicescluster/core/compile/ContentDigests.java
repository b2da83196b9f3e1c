package io.servicescluster.core.compile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * SHA-256 digests of what a class path holds: a jar's bytes, or every file of a folder with its
 * relative path — the content, never just the names, so that a rebuilt library under the same
 * path makes a new key. A file's digest is remembered for as long as its size, modification time
 * and inode stay the same, so a warm start reads no jar twice. Thread-safe.
 */
final class ContentDigests {

    private record Stamp(long size, long modified, Object fileKey) {
    }

    private record Known(Stamp stamp, String digest) {
    }

    private static final Map<Path, Known> FILES = new ConcurrentHashMap<>();

    private ContentDigests() {
    }

    /** The digest of {@code entry}'s content: a file's, a folder's (sorted, paths included), or "absent". */
    static String of(Path entry) {
        try {
            if (Files.isRegularFile(entry)) {
                return file(entry);
            }
            if (Files.isDirectory(entry)) {
                return folder(entry);
            }
            return "absent";
        } catch (IOException | UncheckedIOException e) {
            return "unreadable " + e.getMessage(); // javac will say what is wrong with it
        }
    }

    private static String folder(Path folder) throws IOException {
        MessageDigest digest = sha256();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            update(digest, folder.relativize(file).toString());
            update(digest, file(file));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String file(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Stamp stamp = new Stamp(attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey());
        Path key = file.toAbsolutePath();
        Known known = FILES.get(key);
        if (known != null && known.stamp().equals(stamp)) {
            return known.digest();
        }
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        String hex = HexFormat.of().formatHex(digest.digest());
        FILES.put(key, new Known(stamp, hex));
        return hex;
    }

    static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java runtime has SHA-256", e);
        }
    }
}
