package io.servicescluster.core.compile;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled classes on disk, one file per key ({@code KEY.classes}), shared by every manager of
 * the user and kept across runs. Safe against managers writing at once without locks: an entry
 * ({@link ClassesForm}) is written to a temporary file and moved into place atomically, so a reader
 * sees a whole entry or none; each entry ends with the SHA-256 of what precedes it, so a torn or corrupt file (a disk
 * full, a crash of an older writer, a hand edit) reads as absent, and the caller compiles and
 * replaces it. Bounded: after a write, the least recently used entries (a hit touches the file's
 * modification time) are removed until the folder is within {@code maxBytes}.
 *
 * <p>Thread-safe (the file system is the only state); any I/O failure is logged and turns into a
 * miss or a skipped write: the cache only ever saves time.
 */
final class ClassCache {

    private static final Logger log = LoggerFactory.getLogger(ClassCache.class);
    private static final String SUFFIX = ".classes";
    /** A temporary file this old was left by a writer that died: removed while evicting. */
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final Path dir;
    private final long maxBytes;

    ClassCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** The folder of the entries. */
    Path dir() {
        return dir;
    }

    /** The file of {@code key}'s entry (it may not exist). */
    Path entry(String key) {
        return dir.resolve(key + SUFFIX);
    }

    /** The entry of {@code key} if it is there and whole; marks it used. */
    Optional<CompiledSource> get(String key) {
        Path file = entry(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read the class cache entry {}: {}", file, e.toString());
            return Optional.empty();
        }
        Optional<CompiledSource> entry = ClassesForm.decode(bytes);
        if (entry.isEmpty()) {
            log.warn("the class cache entry {} is corrupt; compiling again", file);
            return entry;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now())); // least recently used goes first
        } catch (IOException e) {
            log.debug("cannot touch {}: {}", file, e.toString()); // evicted meanwhile: the bytes read are whole
        }
        return entry;
    }

    /** Stores {@code compiled} as the entry of {@code key}, replacing what was there, then evicts. */
    void put(String key, CompiledSource compiled) {
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, key, ".tmp");
            Files.write(temp, ClassesForm.encode(compiled));
            try {
                Files.move(temp, entry(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, entry(key), StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            evict(entry(key));
        } catch (IOException e) {
            log.warn("cannot write the class cache entry {}: {}", entry(key), e.toString());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    log.debug("cannot remove {}: {}", temp, e.toString());
                }
            }
        }
    }

    /** Removes the least recently used entries beyond {@link #maxBytes}, never {@code keep}. */
    private void evict(Path keep) throws IOException {
        record Entry(Path path, long size, FileTime used) {
        }
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        Instant staleBefore = Instant.now().minus(STALE_TEMP);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                try {
                    String name = file.getFileName().toString();
                    FileTime used = Files.getLastModifiedTime(file);
                    if (name.endsWith(".tmp") && used.toInstant().isBefore(staleBefore)) {
                        Files.deleteIfExists(file);
                    } else if (name.endsWith(SUFFIX)) {
                        long size = Files.size(file);
                        total += size;
                        entries.add(new Entry(file, size, used));
                    }
                } catch (NoSuchFileException e) {
                    // another manager removed it meanwhile
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::used));
        for (Entry entry : entries) {
            if (total <= maxBytes) {
                return;
            }
            if (!entry.path().equals(keep)) {
                Files.deleteIfExists(entry.path());
                total -= entry.size();
                log.debug("evicted {} from the class cache", entry.path());
            }
        }
    }

}
