package io.servicescluster.core.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager's compiler and its cache of classes: compiled once per content, recompiled when
 * anything of the key changes or the entry is corrupt, shared safely by managers at once. What is
 * compiled is counted by the compiler ({@link SourceCompilations#compilations()}), not timed.
 */
class SourceCompilationsTest {

    private static final long LARGE = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    private Path cache() {
        return dir.resolve("cache");
    }

    static String service(String name, String body) {
        return """
                package demo;

                import io.servicescluster.api.*;

                public class %s implements Service {
                    public void start(ServiceContext context) {
                        %s
                    }

                    static class Inner {
                    }
                }
                """.formatted(name, body);
    }

    @Test
    void anUnchangedSourceIsCompiledOnceAcrossManagersAndAChangedOneAgain() throws Exception {
        String source = service("Greeter", "System.out.println(\"hello\");");
        SourceCompilations first = SourceCompilations.in(cache(), LARGE);
        CompiledSource compiled = first.compile(source, "Greeter.java", List.of());
        assertThat(compiled.className()).isEqualTo("demo.Greeter");
        assertThat(compiled.classes()).extracting(c -> c.name()).containsExactly("demo.Greeter", "demo.Greeter$Inner");
        assertThat(first.compilations()).isEqualTo(1);
        Path entry = first.cacheEntry(source, List.of());
        Object inode = Files.readAttributes(entry, BasicFileAttributes.class).fileKey();

        SourceCompilations second = SourceCompilations.in(cache(), LARGE); // the next run: a new manager
        assertThat(second.compile(source, "Greeter.java", List.of())).isEqualTo(compiled);
        assertThat(second.compilations()).isZero();
        assertThat(Files.readAttributes(entry, BasicFileAttributes.class).fileKey()).isEqualTo(inode);

        String changed = service("Greeter", "System.out.println(\"hello again\");");
        second.compile(changed, "Greeter.java", List.of());
        assertThat(second.compilations()).isEqualTo(1);
        assertThat(second.cacheEntry(changed, List.of())).isNotEqualTo(entry).exists();
    }

    @Test
    void aChangedClasspathContentUnderTheSamePathIsANewKey() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("data.txt"), "one");
        String source = service("Lib", "");
        SourceCompilations compilations = SourceCompilations.in(cache(), LARGE);
        compilations.compile(source, "Lib.java", List.of(lib));
        Path before = compilations.cacheEntry(source, List.of(lib));
        compilations.compile(source, "Lib.java", List.of(lib));
        assertThat(compilations.compilations()).isEqualTo(1);

        Files.writeString(lib.resolve("data.txt"), "two"); // same path, same size: content alone differs
        compilations.compile(source, "Lib.java", List.of(lib));
        assertThat(compilations.compilations()).isEqualTo(2);
        assertThat(compilations.cacheEntry(source, List.of(lib))).isNotEqualTo(before);
    }

    @Test
    void aCorruptEntryIsCompiledAgainAndReplaced() throws Exception {
        String source = service("Fragile", "");
        SourceCompilations first = SourceCompilations.in(cache(), LARGE);
        CompiledSource compiled = first.compile(source, "Fragile.java", List.of());
        Path entry = first.cacheEntry(source, List.of());
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(entry, bytes);

        SourceCompilations second = SourceCompilations.in(cache(), LARGE);
        assertThat(second.compile(source, "Fragile.java", List.of())).isEqualTo(compiled);
        assertThat(second.compilations()).isEqualTo(1);
        assertThat(ClassesForm.decode(Files.readAllBytes(entry))).contains(compiled); // replaced by a whole one

        Files.write(entry, new byte[] {1, 2, 3}); // torn: shorter than a checksum
        SourceCompilations third = SourceCompilations.in(cache(), LARGE);
        third.compile(source, "Fragile.java", List.of());
        assertThat(third.compilations()).isEqualTo(1);
    }

    @Test
    void twoManagersCompilingTheSameSourcesAtOnceLeaveAGoodCache() throws Exception {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sources.add(service("S" + i, "int x = " + i + ";"));
        }
        SourceCompilations one = SourceCompilations.in(cache(), LARGE);
        SourceCompilations two = SourceCompilations.in(cache(), LARGE);
        List<CompletableFuture<CompiledSource>> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String source : sources) {
                all.add(one.compileAsync(source, "S.java", List.of()));
                all.add(two.compileAsync(source, "S.java", List.of()));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        for (String source : sources) {
            Path entry = one.cacheEntry(source, List.of());
            assertThat(ClassesForm.decode(Files.readAllBytes(entry))).isPresent();
        }
        try (Stream<Path> left = Files.list(cache())) {
            assertThat(left).allMatch(p -> p.toString().endsWith(".classes")).hasSize(sources.size()); // no temporary file
        }
        // each manager shared its own concurrent requests: at most one compilation per source each
        assertThat(one.compilations() + two.compilations()).isBetween((long) sources.size(), 2L * sources.size());
        SourceCompilations third = SourceCompilations.in(cache(), LARGE);
        for (String source : sources) {
            third.compile(source, "S.java", List.of());
        }
        assertThat(third.compilations()).isZero();
    }

    @Test
    void theCacheKeepsWithinItsBoundDroppingTheLeastRecentlyUsed() throws Exception {
        SourceCompilations probe = SourceCompilations.in(dir.resolve("probe"), LARGE);
        probe.compile(service("A", ""), "A.java", List.of());
        long entrySize = Files.size(probe.cacheEntry(service("A", ""), List.of()));

        SourceCompilations bounded = SourceCompilations.in(cache(), entrySize * 2 + entrySize / 2); // room for two
        bounded.compile(service("A", ""), "A.java", List.of());
        bounded.compile(service("B", ""), "B.java", List.of());
        Path a = bounded.cacheEntry(service("A", ""), List.of());
        Path b = bounded.cacheEntry(service("B", ""), List.of());
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(b, FileTime.from(Instant.now().minusSeconds(120)));
        bounded.compile(service("A", ""), "A.java", List.of()); // a hit: A is now the most recently used
        bounded.compile(service("C", ""), "C.java", List.of());
        assertThat(a).exists();
        assertThat(b).doesNotExist();
        assertThat(bounded.cacheEntry(service("C", ""), List.of())).exists();
    }

    @Test
    void compileErrorsListEachDiagnosticWithSourceNameLineAndCaret() {
        String source = """
                import io.servicescluster.api.*;
                public class Broken implements Service {
                    public void start(ServiceContext context) {
                        int x = "not a number";
                        undefinedCall();
                    }
                }
                """;
        SourceCompilations compilations = SourceCompilations.in(cache(), LARGE);
        assertThatThrownBy(() -> compilations.compile(source, "services/broken.java", List.of()))
                .isInstanceOf(CompileException.class)
                .hasMessageStartingWith("compiling services/broken.java failed: 2 errors")
                .hasMessageContaining("services/broken.java:4: error: incompatible types")
                .hasMessageContaining("services/broken.java:5: error: cannot find symbol")
                .hasMessageContaining("        int x = \"not a number\";\n                ^")
                .hasMessageNotContaining("at io.servicescluster"); // diagnostics, not a stack trace
        assertThat(compilations.cacheEntry(source, List.of())).doesNotExist(); // errors are not cached
    }

    @Test
    void aSourceWithoutPublicClassIsRefused() {
        SourceCompilations compilations = SourceCompilations.in(cache(), LARGE);
        assertThatThrownBy(() -> compilations.compile("class Hidden {}", "Hidden.java", List.of()))
                .isInstanceOf(CompileException.class)
                .hasMessage("Hidden.java: no public class found in the source; a source service is one public class"
                        + " implementing io.servicescluster.api.Service");
        assertThat(compilations.compilations()).isZero();
    }
}
