package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R16 from the cluster file, as a user runs it: a {@code command} check gates the dependent, {@code
 * svc ps} shows the HEALTH column, failing checks are {@code unhealthy} events, and the run's log
 * passes {@code svc verify}.
 */
class HealthCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void aCommandCheckGatesTheDependentAndShowsInPsAndTheLog() throws Exception {
        Path file = TestFiles.write(dir, "name: checked\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "    health: { command: [sh, -c, \"test -f ready\"], interval: 200ms, retries: 2 }\n"
                + "  web:\n    dependsOn: [db]\n" + TestFiles.code("Greeter"));
        Path events = dir.resolve("events.jsonl");
        Path ready = dir.resolve(".svc/checked/work/db/ready");
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--events", events.toString())) {
            await().atMost(SvcRun.WAIT).ignoreExceptions().untilAsserted(() -> assertThat(ps(file).get("db")).startsWith("db", "starting",
                    "starting"));
            assertThat(ps(file).get("web").get(1)).isIn("new", "created");

            Files.createFile(ready);
            run.awaitAllRunning(file.toString());
            assertThat(ps(file).get("db").get(2)).isEqualTo("healthy");
            assertThat(ps(file).get("web").get(2)).isEqualTo("-");

            Files.delete(ready); // two failing checks in a row: crashed, and web closes for it (R9)
            await().atMost(SvcRun.WAIT).untilAsserted(() -> assertThat(Files.readString(events))
                    .contains("\"service\":\"db\",\"event\":\"crashed\",\"reason\":\"unhealthy: the command exited with 1\""));
            assertThat(Files.readString(events)).contains("\"event\":\"unhealthy\",\"failures\":1,"
                    + "\"detail\":\"the command exited with 1\"", "\"failures\":2");
        }
        Result verify = Result.of("verify", events.toString(), "--cluster", file.toString());
        assertThat(verify.out()).as(verify.out() + verify.err()).startsWith("ok: ");
    }

    private static Map<String, List<String>> ps(Path file) {
        return Result.of("ps", "--cluster", file.toString()).rows().stream()
                .collect(Collectors.toMap(r -> r.get(0), r -> r));
    }
}
