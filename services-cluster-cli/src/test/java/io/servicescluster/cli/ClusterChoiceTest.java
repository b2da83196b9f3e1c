package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.cli.SvcRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §4: in a folder with a {@code cluster.yaml}, the operating commands mean that cluster:
 * when it is not running they say so and never act on another one; {@code svc logs} reads the
 * files it left, a separator before each run, and a restart is marked too.
 */
class ClusterChoiceTest {

    @TempDir
    Path dir;

    @Test
    void aFolderWhoseClusterIsNotRunningNeverActsOnAnotherAndItsLogsStillRead() throws Exception {
        Path here = Files.createDirectories(dir.resolve("here"));
        Path there = Files.createDirectories(dir.resolve("there"));
        TestFiles.write(here, "name: tickers\nservices:\n  clock:\n" + TestFiles.code("Ticker"));
        Path other = TestFiles.webAndDb(there);
        for (int run = 1; run <= 2; run++) { // two runs of this folder's cluster, ended
            try (SvcRun ended = SvcRun.command(dir, here, "here.err", "run", "cluster.yaml", "--for", "300ms")) {
                assertThat(ended.exitStatus()).as(ended.stderr()).isZero();
            }
        }
        try (SvcRun running = SvcRun.command(dir, there, "there.err", "run", "cluster.yaml")) {
            running.awaitAllRunning(other.toString());
            List<String> pids = pids(other);

            for (String[] command : List.of(new String[] {"stop"}, new String[] {"restart", "web"},
                    new String[] {"ps"})) {
                try (SvcRun refused = SvcRun.command(dir, here, command[0] + ".err", command)) {
                    assertThat(refused.exitStatus()).isEqualTo(1);
                    assertThat(refused.stderr()).isEqualTo("svc " + command[0] + ": no cluster is running from "
                            + "cluster.yaml (running: greeters from " + other.toRealPath() + " (pid " + running.process().pid()
                            + ")); choose one with --cluster NAME-OR-FILE\n");
                }
            }
            assertThat(pids(other)).as("the other cluster was left alone").isEqualTo(pids);

            try (SvcRun logs = SvcRun.command(dir, here, "logs.err", "logs", "clock")) {
                assertThat(logs.exitStatus()).as(logs.stderr()).isZero();
                List<String> lines = logs.stdout();
                assertThat(lines.stream().filter(l -> l.matches(LogsCommandTest.RUN_STARTED))).hasSize(2);
                assertThat(lines.get(0)).matches(LogsCommandTest.RUN_STARTED);
                assertThat(lines.subList(1, 4)).containsExactly("out | clock is up", "out | tick 1", "err | tock 1");
                int second = lines.lastIndexOf(lines.stream().filter(l -> l.startsWith("--- run")).toList().getLast());
                assertThat(lines.subList(second + 1, second + 4)).containsExactly("out | clock is up", "out | tick 1",
                        "err | tock 1");
            }
            try (SvcRun unknown = SvcRun.command(dir, here, "unknown.err", "logs", "nope")) {
                assertThat(unknown.exitStatus()).isEqualTo(1);
                assertThat(unknown.stderr()).isEqualTo("svc logs: no service named 'nope' in cluster 'tickers' (services: clock)\n");
            }

            // a restart is marked in the log of a running cluster too
            assertThat(Result.of("restart", "db", "--cluster", other.toString()).status()).isZero();
            List<String> db = Result.of("logs", "db", "--cluster", other.toString()).out().lines().toList();
            assertThat(db.getFirst()).matches(LogsCommandTest.RUN_STARTED);
            assertThat(db.subList(1, 3)).containsExactly("out | hello from db", "out | bye from db");
            assertThat(db.get(3)).matches("--- started again \\d{4}-[-\\d]+T[\\d:]+Z \\(start 2 of this run\\) ---");
            assertThat(db.get(4)).isEqualTo("out | hello from db");
        }
    }

    private static List<String> pids(Path file) {
        return Result.of("ps", "--cluster", file.toString()).rows().stream().map(r -> r.get(4)).toList();
    }
}
