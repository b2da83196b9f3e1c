package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import io.servicescluster.cli.testservices.Forger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, attacks from any service: forged lines and a flood of huge exceptions, through the
 * real {@code svc run} and {@code svc ps}. The attack must fail and the other service run on.
 */
class HostileServiceTest {

    @TempDir
    Path dir;

    @Test
    void forgedLinesAreEscapedAndAnExceptionFloodCostsTheManagerLittle() throws Exception {
        Path file = TestFiles.write(dir, "name: hostile\nservices:\n"
                + "  victim:\n" + TestFiles.code("Greeter")
                + "  forger:\n" + TestFiles.code("Forger"));
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitAllRunning(file.toString());
            long victimPid = Long.parseLong(byName(Result.of("ps", "--cluster", file.toString())).get("victim").get(4));
            // the flood is over once its last report came: the one that says how many were dropped
            await().atMost(SvcRun.WAIT).alias("the line saying how many were dropped; svc printed:\n" + new Object() {
                @Override
                public String toString() {
                    return String.join("\n", run.stdout().stream().map(l -> l.substring(0, Math.min(200, l.length()))).toList());
                }
            }).until(() -> run.stdout().stream().anyMatch(l -> l.startsWith("forger")
                    && l.matches(".*services-cluster: \\d+ uncaught exception reports were dropped \\(more than 10 a second\\)")));
            long rss = rssBytes(run.process().pid());
            System.out.printf("svc run's RSS after 40 exceptions of 8 MiB: %d MiB%n", rss >> 20);
            assertThat(rss).as("the manager's resident memory").isLessThan(1L << 30);

            Result ps = Result.of("ps", "--cluster", file.toString());
            assertThat(ps.status()).as(ps.err()).isZero();
            assertThat(ps.out()).doesNotContain("\u001b");
            List<String> victim = byName(ps).get("victim");
            assertThat(victim.get(1)).isEqualTo("running");
            assertThat(Long.parseLong(victim.get(4))).isEqualTo(victimPid);
            assertThat(byName(ps).get("forger").get(1)).isEqualTo("running");

            List<String> out = List.copyOf(run.stdout());
            assertThat(out).contains("forger | x\\u000d" + Forger.FORGED.replace("\u001b", "\\u001b"));
            assertThat(out).noneMatch(l -> l.startsWith("victim    * crashed")).noneMatch(l -> l.contains("\u001b"));
            assertThat(out).anyMatch(l -> l.startsWith("forger * exception exception: java.lang.IllegalStateException "
                    + "message: \\u001b[2Jboom xxx") && l.length() < 20_000);
        }
        Path logs = dir.resolve(".svc/hostile/logs");
        // every line of the log a line of its own, with its time stamp: nothing forged, nothing cut loose
        assertThat(Files.readAllLines(logs.resolve("forger.out.log")))
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z .*"))
                .anyMatch(l -> l.endsWith(" x\\u000d" + Forger.FORGED.replace("\u001b", "\\u001b")));
        assertThat(Files.size(logs.resolve("forger.exceptions.jsonl"))).isLessThan(4L << 20);
    }

    private static java.util.Map<String, List<String>> byName(Result ps) {
        return ps.rows().stream().collect(java.util.stream.Collectors.toMap(r -> r.get(0), r -> r));
    }

    private static long rssBytes(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}
