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
            assertThat(lines.getFirst()).isEqualTo("clock is up");
            assertThat(lines.subList(1, 6)).containsExactly("tick 1", "tick 2", "tick 3", "tick 4", "tick 5");
            assertThat(lines).noneMatch(l -> l.startsWith("tock"));

            Result err = Result.of("logs", "clock", "--stderr", "-t", "-n", "3", "--cluster", file.toString());
            assertThat(err.status()).isZero();
            assertThat(err.out().lines().toList()).hasSize(3)
                    .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z tock \\d+"));

            Result quiet = Result.of("logs", "quiet", "--cluster", file.toString());
            assertThat(quiet.out()).isEqualTo("hello from quiet\n");
            Result recent = Result.of("logs", "quiet", "--since", "1ms", "--cluster", file.toString());
            assertThat(recent.status()).isZero();
            assertThat(recent.out()).isEmpty();
            assertThat(Result.of("logs", "quiet", "--since", "1h", "--cluster", file.toString()).out())
                    .isEqualTo("hello from quiet\n");
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
            int first = tick(out.toString().lines().findFirst().orElseThrow());

            await().atMost(SvcRun.WAIT).until(() -> out.toString().lines().count() >= 10);
            List<Integer> ticks = out.toString().lines().limit(10).map(LogsCommandTest::tick).toList();
            for (int i = 0; i < ticks.size(); i++) {
                assertThat(ticks.get(i)).as("lines follow each other").isEqualTo(first + i);
            }

            assertThat(Result.of("stop", "--cluster", file.toString()).status()).isZero();
            assertThat(follow.get(60, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString()).isZero();
            assertThat(out.toString()).endsWith("\n");
        }
    }

    private static int tick(String line) {
        assertThat(line).matches("tick \\d+");
        return Integer.parseInt(line.substring("tick ".length()));
    }

}
