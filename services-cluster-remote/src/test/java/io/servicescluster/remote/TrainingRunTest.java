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
     * its start, but parses and links from the module image whatever is not in it. A remote with
     * dependents serves a data endpoint from its first moment: the training serves one too, so
     * that the ~170 JDK classes of binding a Unix socket (NIO's channels, the JCA providers of the
     * secure random the JDK's Unix sockets seed themselves with) come from the cache.
     */
    @Test
    void servesADataEndpointAsARemoteWithDependentsDoes() throws Exception {
        Path classes = dir.resolve("classes.txt");
        process = trainingRun("-Xlog:class+load:file=" + classes).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(classes)).contains(IdleService.class.getName(),
                "io.servicescluster.remote.data.DataEndpoint", "io.servicescluster.remote.data.DataAcceptor",
                "sun.nio.ch.ServerSocketChannelImpl", "sun.security.provider.NativePRNG");
        assertThat(dir.resolve("training-data.sock")).as("the socket, removed at the end").doesNotExist();
    }

    /**
     * A remote's first sample and heartbeat answer come while a cluster's other JVMs still boot:
     * the training takes them too, so that the cache holds their code, linked.
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
