package io.servicescluster.core.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources sent by services (a child's, R8): refused above their size before anything is
 * compiled, else compiled in a process of their own that a compile bomb cannot outlive or outgrow
 * (issue 18). Real javac processes; no sandbox here (the core has none: the process kind's is
 * tested with it, process {@code ChildSourceBoundsTest}).
 */
class ServiceSourceCompilationTest {

    private static final long LARGE = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    /** javac needs minutes for it: 18 poly conditionals nested in generic calls (10 take ~13 s). */
    static String bomb() {
        String expression = "1";
        for (int i = 0; i < 18; i++) {
            expression = "id(b ? " + expression + " : id(2))";
        }
        return """
                import io.servicescluster.api.*;
                public class Bomb implements Service {
                    static boolean b;
                    static <T> T id(T t) { return t; }
                    static Object y = %s;
                    public void start(ServiceContext context) {
                    }
                }
                """.formatted(expression);
    }

    private SourceCompilations compilations(ServiceSourceBounds bounds) {
        return SourceCompilations.in(dir.resolve("cache"), LARGE, bounds);
    }

    private static CompileException failure(SourceCompilations compilations, String source) {
        try {
            compilations.compileFromServiceAsync(source, "spawned child", List.of(), "parent").join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CompileException c) {
                return c;
            }
            throw e;
        }
        throw new AssertionError("compiled");
    }

    @Test
    void aSourceAboveTheLimitIsRefusedBeforeAnythingIsCompiled() {
        SourceCompilations compilations = compilations(ServiceSourceBounds.DEFAULT.withMaxSourceBytes(1000));
        String source = SourceCompilationsTest.service("Large", "") + "// é" + "x".repeat(1000);

        assertThat(failure(compilations, source)).hasMessage("spawned child: refused: its source is "
                + source.getBytes(StandardCharsets.UTF_8).length
                + " bytes, more than the 1000 bytes a service may send to be compiled (docs/security.md)");
        assertThat(compilations.compilations()).isZero();
    }

    @Test
    void aServicesSourceIsCompiledInAProcessOfItsOwnIntoTheSameCache() throws Exception {
        SourceCompilations compilations = compilations(ServiceSourceBounds.DEFAULT);
        String source = SourceCompilationsTest.service("Child", "System.out.println(\"hi\");");

        CompiledSource compiled = compilations.compileFromServiceAsync(source, "spawned child", List.of(), "parent").join();

        assertThat(compiled.className()).isEqualTo("demo.Child");
        assertThat(compiled.classes()).extracting(c -> c.name()).containsExactly("demo.Child", "demo.Child$Inner");
        assertThat(compilations.compilationsFromServices()).isEqualTo(1);
        assertThat(compilations.compile(source, "Child.java", List.of())).isEqualTo(compiled); // a hit
        assertThat(compilations.compilations()).isEqualTo(1);
        assertThat(compilations.compileFromServiceAsync(source, "spawned again", List.of(), "parent").join()).isEqualTo(compiled);
        assertThat(compilations.compilationsFromServices()).isEqualTo(1);
    }

    @Test
    void compileErrorsOfAServicesSourceAreJavacsAsInTheManager() {
        SourceCompilations compilations = compilations(ServiceSourceBounds.DEFAULT);
        String source = SourceCompilationsTest.service("Broken", "int x = \"text\";");

        assertThat(failure(compilations, source)).hasMessageStartingWith("compiling spawned child failed: 1 error")
                .hasMessageContaining("spawned child:7: error: incompatible types");
    }

    @Test
    void aCompileBombIsAbandonedAtTheDeadlineAndItsProcessKilled() {
        SourceCompilations compilations = compilations(ServiceSourceBounds.DEFAULT.withTimeout(Duration.ofSeconds(3)));
        long began = System.nanoTime();

        CompileException failure = failure(compilations, bomb());

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertThat(failure).hasMessage("compiling spawned child abandoned: javac was still at work after 3000 ms, the"
                + " most a source sent by a service may take (its compiler process was killed; docs/security.md)");
        assertThat(tookMillis).isBetween(3000L, 15_000L);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().descendants()
                .noneMatch(p -> p.info().commandLine().orElse("").contains(CompilerMain.class.getName())));
        assertThat(compilations.cacheEntry(bomb(), List.of())).doesNotExist();
    }

    @Test
    void aMemoryBombEndsItsOwnCompilerNotTheManager() {
        // each constant the double of the one before: javac folds s29 into 2^29 * 16 characters
        StringBuilder constants = new StringBuilder("static final String s0 = \"xxxxxxxxxxxxxxxx\";\n");
        for (int i = 1; i < 30; i++) {
            constants.append("static final String s").append(i).append(" = s").append(i - 1).append(" + s")
                    .append(i - 1).append(";\n");
        }
        String source = "public class Doubling {\n" + constants + "}\n";
        SourceCompilations compilations = compilations(
                new ServiceSourceBounds(1024 * 1024, Duration.ofSeconds(60), 64L * 1024 * 1024, 1));

        assertThat(failure(compilations, source)).hasMessage("compiling spawned child abandoned: javac needed more"
                + " than the 64 MiB of memory a source sent by a service may take (docs/security.md)");
    }

    @Test
    void aServiceSendingBombsHoldsOneCompilerAtATimeNotTheQueue() {
        SourceCompilations compilations = compilations(
                new ServiceSourceBounds(1024 * 1024, Duration.ofSeconds(3), 256L * 1024 * 1024, 1));
        List<CompletableFuture<CompiledSource>> bombs = List.of(1, 2, 3).stream().map(n -> compilations
                .compileFromServiceAsync(bomb() + "// " + n, "bomb " + n, List.of(), "greedy")).toList();
        String source = SourceCompilationsTest.service("Modest", "");

        CompiledSource modest = compilations.compileFromServiceAsync(source, "modest", List.of(), "modest").join();

        assertThat(modest.className()).isEqualTo("demo.Modest");
        // the greedy one's first bomb was abandoned at its deadline, its second waited for the modest one
        assertThat(bombs.get(0)).isCompletedExceptionally();
        assertThat(bombs.get(1)).isNotDone();
        bombs.forEach(bomb -> bomb.cancel(false));
        await().atMost(Duration.ofSeconds(10)).until(() -> compilerProcesses() == 0);
    }

    @Test
    void aCompilationNoLongerWantedEndsItsProcessAndOneNotBegunNeverStarts() {
        SourceCompilations compilations = compilations(ServiceSourceBounds.DEFAULT.withTimeout(Duration.ofSeconds(60)));
        CompletableFuture<CompiledSource> first = compilations.compileFromServiceAsync(bomb(), "bomb", List.of(), "p");
        CompletableFuture<CompiledSource> second =
                compilations.compileFromServiceAsync(bomb() + "// 2", "bomb 2", List.of(), "p");
        await().atMost(Duration.ofSeconds(20)).until(() -> compilerProcesses() == 1);
        long began = System.nanoTime();

        second.cancel(false);
        first.cancel(false);

        await().atMost(Duration.ofSeconds(10)).until(() -> compilerProcesses() == 0);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isLessThan(10_000);
        // the second was dropped before it began
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> compilerProcesses() == 0);
        assertThat(compilations.compilationsFromServices()).isEqualTo(1);
    }

    private static long compilerProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(CompilerMain.class.getName())).count();
    }
}
