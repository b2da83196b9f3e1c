package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which path a refused write names, in the forms the JDK and libraries print it. */
class SandboxWriteHintsTest {

    private final SandboxWriteHints hints = new SandboxWriteHints("keeper", List.of(Path.of("/srv/data")));

    @Test
    void namesThePathOfNioAndJavaIoMessages() {
        assertThat(hints.explain("java.nio.file.FileSystemException: /tmp/app: Read-only file system"))
                .hasValueSatisfying(h -> assertThat(h).startsWith("/tmp/app is not in permissions.files.write of 'keeper'"));
        assertThat(hints.explain("Caused by: java.io.FileNotFoundException: /var/lib/x.db (Read-only file system)"))
                .hasValueSatisfying(h -> assertThat(h).startsWith("/var/lib/x.db is not in"));
    }

    @Test
    void neverTakesTheEndOfARelativePathOrOfAPathWithSpacesForAPath() {
        assertThat(hints.explain("java.io.FileNotFoundException: data/out.txt (Read-only file system)"))
                .hasValueSatisfying(h -> assertThat(h).startsWith("a write was refused: the path is not in"));
        assertThat(new SandboxWriteHints("keeper", List.of())
                .explain("FileSystemException: /home/u/My Docs/x: Read-only file system"))
                .hasValueSatisfying(h -> assertThat(h).startsWith("a write was refused"));
    }

    @Test
    void explainsEachPathOnceAndNeverAWritablePathOrAnotherFailure() {
        assertThat(hints.explain("FileSystemException: /tmp/a: Read-only file system")).isPresent();
        assertThat(hints.explain("FileSystemException: /tmp/a: Read-only file system")).isEmpty();
        assertThat(hints.explain("FileSystemException: /srv/data/f: Read-only file system")).isEmpty();
        assertThat(hints.explain("java.nio.file.NoSuchFileException: /tmp/b")).isEmpty();
        assertThat(hints.explain(null)).isEmpty();
    }
}
