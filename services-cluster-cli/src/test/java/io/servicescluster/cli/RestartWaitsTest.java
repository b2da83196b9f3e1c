package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.cli.SvcRun.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §4: {@code svc restart NAME} returns once NAME and the dependents that closed for it
 * run again, or says which did not and why (exit 1).
 */
class RestartWaitsTest {

    @TempDir
    Path dir;

    @Test
    void restartWaitsForTheDependentsAndNamesTheOneThatDidNotComeBack() throws Exception {
        Path file = TestFiles.write(dir, "name: waits\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "  slow:\n    dependsOn: [db]\n    settings: { startMillis: '1500' }\n" + TestFiles.code("SlowStart")
                + "  once:\n    dependsOn: [db]\n" + TestFiles.code("OnceOnly"));
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitAllRunning(file.toString());

            Result restart = Result.of("restart", "db", "--cluster", file.toString());
            assertThat(restart.status()).isEqualTo(1);
            assertThat(restart.err()).startsWith("svc restart: db runs again, but not every dependent came back: "
                    + "once (failed: ").contains("started once already");
            assertThat(states(file)).as("slow was waited for").containsExactly("db:running", "slow:running", "once:closed");

            restart = Result.of("restart", "db", "--cluster", file.toString());
            assertThat(restart.status()).as(restart.err()).isZero();
            assertThat(restart.out()).matches("restarted db \\(pid \\d+\\) and its dependents: slow\\n");
            assertThat(states(file)).containsExactly("db:running", "slow:running", "once:closed");
        }
    }

    private static List<String> states(Path file) {
        return Result.of("ps", "--cluster", file.toString()).rows().stream().map(r -> r.get(0) + ":" + r.get(1)).toList();
    }
}
