package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When code sent ahead is stale: the stamp of a class path changes with any file in it, and only then. */
class ClassPathStampTest {

    @TempDir
    Path dir;

    @Test
    void changesWhenAFileIsRebuiltAddedOrRemovedAndOnlyThen() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/demo"));
        Path type = Files.writeString(classes.resolve("Service.class"), "v1");
        Path jar = Files.writeString(dir.resolve("lib.jar"), "jar");
        List<Path> classpath = List.of(dir.resolve("classes"), jar);
        ClassPathStamp first = ClassPathStamp.of(classpath);

        assertThat(ClassPathStamp.of(classpath)).isEqualTo(first);

        Files.setLastModifiedTime(type, FileTime.from(Instant.parse("2026-01-01T00:00:00Z"))); // rebuilt, same size
        ClassPathStamp rebuilt = ClassPathStamp.of(classpath);
        assertThat(rebuilt).isNotEqualTo(first);

        Files.writeString(classes.resolve("Helper.class"), "new");
        ClassPathStamp added = ClassPathStamp.of(classpath);
        assertThat(added).isNotEqualTo(rebuilt);

        Files.delete(jar);
        assertThat(ClassPathStamp.of(classpath)).isNotEqualTo(added);
        assertThat(ClassPathStamp.of(List.of(dir.resolve("classes")))).isNotEqualTo(ClassPathStamp.of(classpath));
    }

    /**
     * A class folder reached through a link — the entry itself ({@code classes -> build/42}) or a
     * folder inside it — is what the remote's class loader reads: a class rebuilt there changes
     * the stamp too.
     */
    @Test
    void changesWhenAClassBehindALinkIsRebuilt() throws Exception {
        Path build = Files.createDirectories(dir.resolve("build/42/demo"));
        Path type = Files.writeString(build.resolve("Service.class"), "v1");
        Path shared = Files.createDirectories(dir.resolve("shared/util"));
        Path helper = Files.writeString(shared.resolve("Helper.class"), "h1");
        Path classes = Files.createSymbolicLink(dir.resolve("classes"), dir.resolve("build/42"));
        Files.createSymbolicLink(build.resolve("util"), shared);
        List<Path> classpath = List.of(classes);
        ClassPathStamp first = ClassPathStamp.of(classpath);

        Files.setLastModifiedTime(type, FileTime.from(Instant.parse("2026-01-01T00:00:00Z"))); // rebuilt in place
        ClassPathStamp rebuilt = ClassPathStamp.of(classpath);
        assertThat(rebuilt).isNotEqualTo(first);

        Files.setLastModifiedTime(helper, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        assertThat(ClassPathStamp.of(classpath)).isNotEqualTo(rebuilt);
    }

    /** A link that loops is no reason to fail, nor to miss a change: the rest of the folder still counts. */
    @Test
    void aLinkThatLoopsStillLetsAChangeShow() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.createSymbolicLink(classes.resolve("loop"), classes);
        Path type = Files.writeString(classes.resolve("Service.class"), "v1");
        ClassPathStamp first = ClassPathStamp.of(List.of(classes));
        assertThat(ClassPathStamp.of(List.of(classes))).isEqualTo(first);

        Files.setLastModifiedTime(type, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(ClassPathStamp.of(List.of(classes))).isNotEqualTo(first);
    }
}
