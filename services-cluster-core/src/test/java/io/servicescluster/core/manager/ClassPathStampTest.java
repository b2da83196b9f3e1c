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
}
