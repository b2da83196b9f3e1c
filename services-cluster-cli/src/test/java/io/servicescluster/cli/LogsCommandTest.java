package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code svc logs} against a running cluster: the service's lines from its log files, and following. */
class LogsCommandTest {

    /** The separator before the first line of a run. */
    static final String RUN_STARTED = "--- run started \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(manager pid \\d+\\) ---";

    @TempDir
    Path dir;

    private Path tickers() {
        return TestFiles.write(dir, "name: tickers\nservices:\n"
                + "  clock:\n" + TestFiles.code("Ticker")
                + "  quiet:\n" + TestFiles.code("Greeter"));
    }

    @Test
    void logsShowsTheServicesLinesFromStdoutOrStderrWithTimestampsOnRequest() throws Exception {
        Path file = tickers();
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitLine("clock | tick 5");
            await().atMost(SvcRun.WAIT).until(() -> Result.of("logs", "clock", "--cluster", file.toString()).out()
                    .contains("tick 5\n"));

            Result out = Result.of("logs", "clock", "--cluster", file.toString());
            assertThat(out.status()).as(out.err()).isZero();
            List<String> lines = out.out().lines().toList();
            assertThat(lines.getFirst()).matches(RUN_STARTED);
            assertThat(lines.get(1)).isEqualTo("out | clock is up");
            // both streams, in the order the service wrote them
            assertThat(lines.subList(2, 8)).containsExactly("out | tick 1", "err | tock 1", "out | tick 2", "err | tock 2",
                    "out | tick 3", "err | tock 3");

            Result only = Result.of("logs", "clock", "--stdout", "--cluster", file.toString());
            List<String> stdout = only.out().lines().toList();
            assertThat(stdout.getFirst()).matches(RUN_STARTED);
            assertThat(stdout.subList(1, 7)).containsExactly("clock is up", "tick 1", "tick 2", "tick 3", "tick 4", "tick 5");

            Result err = Result.of("logs", "clock", "--stderr", "-t", "-n", "3", "--cluster", file.toString());
            assertThat(err.status()).isZero();
            assertThat(err.out().lines().toList()).hasSize(3)
                    .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z tock \\d+"));

            Result quiet = Result.of("logs", "quiet", "--cluster", file.toString());
            assertThat(quiet.out()).matches(RUN_STARTED + "\nout \\| hello from quiet\n");
            Result recent = Result.of("logs", "quiet", "--since", "1ms", "--cluster", file.toString());
            assertThat(recent.status()).isZero();
            assertThat(recent.out()).isEmpty();
            assertThat(Result.of("logs", "quiet", "--since", "1h", "--stdout", "--cluster", file.toString()).out())
                    .endsWith("---\nhello from quiet\n");
        }
    }

    @Test
    void followPrintsNewLinesAsTheyComeAndEndsWithTheCluster() throws Exception {
        Path file = tickers();
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitLine("clock | tick 3");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CompletableFuture<Integer> follow = CompletableFuture.supplyAsync(() -> Svc.execute(new PrintWriter(out, true),
                    new PrintWriter(err, true), "logs", "clock", "-f", "-n", "1", "--cluster", file.toString()));
            await().atMost(SvcRun.WAIT).until(() -> out.toString().lines().count() >= 1);
            // the merged view, followed: tick N, tock N, tick N+1 …
            await().atMost(SvcRun.WAIT).until(() -> out.toString().lines().count() >= 12);
            List<String> lines = out.toString().lines().limit(12).toList();
            int first = tick(lines.getFirst().startsWith("err") ? lines.get(1) : lines.getFirst());
            List<String> expected = new java.util.ArrayList<>();
            for (int i = first; expected.size() < 10; i++) {
                expected.add("out | tick " + i);
                expected.add("err | tock " + i);
            }
            assertThat(lines).as("lines follow each other").containsSubsequence(expected);

            assertThat(Result.of("stop", "--cluster", file.toString()).status()).isZero();
            assertThat(follow.get(60, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString()).isZero();
            assertThat(out.toString()).endsWith("\n");
        }
    }

    private static int tick(String line) {
        assertThat(line).matches("out \\| tick \\d+");
        return Integer.parseInt(line.substring("out | tick ".length()));
    }

}
