package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code svc ps} and {@code svc top} against a running cluster, their tables parsed. */
class PsAndTopTest {

    @TempDir
    Path dir;

    @Test
    void psListsEveryServiceRunningWithLivePidsAndTheLastException() throws Exception {
        Path file = TestFiles.write(dir, "name: ps-test\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "  web:\n    dependsOn: [db]\n" + TestFiles.code("Greeter")
                + "  thrower:\n" + TestFiles.code("Thrower"));
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitAllRunning(file.toString());
            await().atMost(SvcRun.WAIT).untilAsserted(() -> assertThat(byName(Result.of("ps", "--cluster", file.toString()))
                    .get("thrower").get(10)).isEqualTo("IllegalStateException: nobody caught this"));

            Result ps = Result.of("ps", "--cluster", "ps-test");
            assertThat(ps.status()).isZero();
            assertThat(ps.out().lines().findFirst().orElseThrow().split("\\s+"))
                    .containsExactly("NAME", "STATE", "HEALTH", "CONTAINER", "PID", "UPTIME", "RESTARTS", "CPU%", "RSS", "HEAP",
                            "LAST", "EXCEPTION");
            Map<String, List<String>> rows = byName(ps);
            assertThat(rows).containsOnlyKeys("db", "web", "thrower");
            List<Long> services = run.process().descendants().map(ProcessHandle::pid).toList();
            rows.forEach((name, row) -> {
                assertThat(row.get(1)).as(name).isEqualTo("running");
                assertThat(row.get(3)).as(name).isEqualTo("process");
                long pid = Long.parseLong(row.get(4));
                assertThat(ProcessHandle.of(pid)).as(name).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
                assertThat(services).as("%s's pid is a process under svc run", name).contains(pid);
                assertThat(row.get(5)).as(name).matches("\\d+s|\\d+m\\d\\ds");
                assertThat(row.get(6)).as(name).isEqualTo("0");
            });
            assertThat(rows.get("db").get(10)).isEqualTo("-");
            assertThat(rows.values().stream().map(r -> r.get(4)).distinct()).hasSize(3);
            // the resource columns fill in with the first statistics sample
            await().atMost(SvcRun.WAIT).untilAsserted(() -> byName(Result.of("ps", "--cluster", file.toString()))
                    .forEach((name, row) -> {
                        assertThat(row.get(7)).as(name).matches("\\d+\\.\\d");
                        assertThat(row.get(8)).as(name).matches("\\d+(\\.\\d)?[BKMG]");
                        assertThat(row.get(9)).as(name).matches("\\d+(\\.\\d)?[BKMG]/\\d+(\\.\\d)?[BKMG]");
                    }));
        }
    }

    @Test
    void topPrintsTheTableOnceWhenNotOnATerminalAndRefreshesWithIterations() throws Exception {
        Path file = TestFiles.webAndDb(dir);
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitAllRunning(file.toString());

            Result once = Result.of("top", "--cluster", file.toString());
            assertThat(once.status()).as(once.err()).isZero();
            assertThat(once.out()).startsWith("svc top: cluster greeters").doesNotContain("\u001b[");
            assertThat(once.out().lines().filter(l -> l.startsWith("NAME "))).hasSize(1);
            assertThat(once.rows()).extracting(r -> r.get(0) + ":" + r.get(1)).containsExactly("db:running", "web:running");

            Result twice = Result.of("top", "--cluster", file.toString(), "-n", "2", "--interval", "100ms");
            assertThat(twice.status()).isZero();
            assertThat(twice.out().lines().filter(l -> l.startsWith("NAME "))).hasSize(2);
        }
    }

    /** Issue 11 §4: Ctrl-C is how one quits {@code svc top}; it exits 0 as the README says, not 130. */
    @Test
    void topQuitsWithStatusZeroOnCtrlC() throws Exception {
        SvcRun.assumeSignalReachesChildren("INT");
        Path file = TestFiles.webAndDb(dir);
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitAllRunning(file.toString());
            try (SvcRun top = SvcRun.command(dir, dir, "top.err", "top", "--cluster", file.toString(),
                    "-n", "100000", "--interval", "50ms")) {
                await().atMost(SvcRun.WAIT).until(() -> top.stdout().stream().filter(l -> l.startsWith("NAME ")).count() >= 2);

                top.signal("INT");

                assertThat(top.exitStatus()).as(top.stderr()).isZero();
            }
        }
    }

    private static Map<String, List<String>> byName(Result ps) {
        return ps.rows().stream().collect(Collectors.toMap(r -> r.get(0), Function.identity()));
    }
}
