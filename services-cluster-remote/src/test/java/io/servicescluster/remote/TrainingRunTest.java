package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.remote.training.IdleService;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private ProcessBuilder trainingRun(String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(FakeController.javaCommand()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", FakeController.remoteClasspath(), RemoteMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
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

    /**
     * What the training loads goes into the AOT cache, and every remote loads all of the cache at
     * its start: the training's own code (its threads, encoding the {@code Code} message) must not
     * bring in the JDK's lambda machinery, nor a stats sample NIO's file channels, which a remote
     * does not otherwise use.
     */
    @Test
    void loadsNoLambdaMachineryNorFileChannels() throws Exception {
        Path classes = dir.resolve("classes.txt");
        process = trainingRun("-Xlog:class+load:file=" + classes).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(classes)).contains(IdleService.class.getName())
                .doesNotContain("java.lang.invoke.LambdaMetafactory", "java.lang.invoke.InnerClassLambdaMetafactory",
                        "sun.nio.ch.FileChannelImpl");
    }

    /**
     * A remote's first sample and heartbeat answer come while a cluster's other JVMs still boot:
     * the training takes them too, so that the cache holds their code linked and profiled.
     */
    @Test
    void sendsASampleAndAnswersAHeartbeat() throws Exception {
        Path log = dir.resolve("init.txt");
        process = trainingRun("-Xlog:class+init=info:file=" + log).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(log)).contains("Initializing 'io/servicescluster/protocol/ControlMessage$Stats'",
                "Initializing 'io/servicescluster/protocol/ControlMessage$Heartbeat'");
    }

    @Test
    void haltsWhenItsStdinEnds() throws Exception {
        process = trainingRun().redirectInput(new File("/dev/null")).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(4);
    }
}
