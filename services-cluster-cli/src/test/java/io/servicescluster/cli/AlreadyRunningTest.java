package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §4: a second {@code svc run} of a running cluster (the same state folder
 * {@code .svc/CLUSTER}) is refused with the running manager's pid, exit 2, and leaves the first
 * alone; a manager killed with {@code kill -9} does not block the next run.
 */
class AlreadyRunningTest {

    @TempDir
    Path dir;

    @Test
    void aSecondRunIsRefusedWithThePidOfTheRunningManagerAndAKilledOneBlocksNothing() throws Exception {
        Path file = TestFiles.webAndDb(dir);
        try (SvcRun first = SvcRun.start(dir, file.toString())) {
            first.awaitAllRunning(file.toString());
            List<String> pids = pids(file);

            try (SvcRun second = SvcRun.command(dir, dir, "second.err", "run", file.toString())) {
                assertThat(second.exitStatus()).isEqualTo(2);
                assertThat(second.stderr()).isEqualTo("svc run: cluster 'greeters' is already running (manager pid "
                        + first.process().pid() + "); stop it with svc stop --cluster greeters\n");
            }
            assertThat(pids(file)).as("the running cluster was left alone").isEqualTo(pids);

            first.process().destroyForcibly().waitFor();
            List<ProcessHandle> services = pids.stream().map(Long::parseLong).map(ProcessHandle::of)
                    .flatMap(java.util.Optional::stream).toList();
            await().atMost(SvcRun.WAIT).until(() -> services.stream().noneMatch(ProcessHandle::isAlive));
        }
        Files.writeString(dir.resolve("svc.err"), "");
        try (SvcRun next = SvcRun.start(dir, file.toString())) {
            next.awaitAllRunning(file.toString());
        }
    }

    private static List<String> pids(Path file) {
        return Result.of("ps", "--cluster", file.toString()).rows().stream().map(r -> r.get(4)).toList();
    }
}
