package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run ({@code SVC_CONTROL=train}) the manager uses to make the remote's AOT cache:
 * a real remote JVM drives itself through a whole life of the idle service and exits normally;
 * and it halts as soon as its stdin — in production a pipe from the manager — ends, so it never
 * outlives a manager that was killed.
 */
class TrainingRunTest {

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void killLeftover() throws Exception {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private ProcessBuilder trainingRun() {
        ProcessBuilder builder = new ProcessBuilder(FakeController.javaCommand(), "-cp",
                FakeController.remoteClasspath(), RemoteMain.class.getName()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SVC_"));
        builder.environment().put("SVC_CONTROL", "train");
        return builder;
    }

    @Test
    void drivesAWholeLifeOfTheIdleServiceAndExitsNormally() throws Exception {
        process = trainingRun().start(); // stdin: a pipe this test keeps open, as the manager does
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("output: %s", Files.readString(dir.resolve("out.txt"))).isZero();
        assertThat(Files.readString(dir.resolve("out.txt"))).doesNotContain("failed");
    }

    @Test
    void haltsWhenItsStdinEnds() throws Exception {
        process = trainingRun().redirectInput(new File("/dev/null")).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(4);
    }
}
