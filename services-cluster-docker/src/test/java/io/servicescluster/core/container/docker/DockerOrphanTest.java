package io.servicescluster.core.container.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.servicescluster.testing.Processes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R11 for docker: {@code kill -9} of a manager stops its containers within seconds (the remote
 * inside loses its control connection and exits), and the next manager removes what is left.
 */
class DockerOrphanTest {

    /** The bound the docs promise: the remote closes its service for at most 3 s, then exits. */
    private static final Duration STOPPED_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path state;

    @Test
    void containersOfAKilledManagerStopWithinSecondsAndTheNextManagerRemovesThem() throws Exception {
        DockerClient docker = DockerTests.requireEngine();
        Process manager = new ProcessBuilder(Processes.java(DockerManagerMain.class.getName(), state.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(manager.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // the manager's log
            }
            assertThat(line).as("the child manager's output ended before it was ready").isEqualTo("ready");
            List<Container> containers = DockerTests.containersOfManager(manager.pid());
            assertThat(containers).singleElement().satisfies(c -> assertThat(c.getState()).isEqualTo("running"));
            String id = containers.getFirst().getId();

            long killed = System.nanoTime();
            manager.destroyForcibly();
            manager.waitFor();
            Awaitility.await("the container stops").atMost(STOPPED_WITHIN).pollInterval(Duration.ofMillis(50))
                    .until(() -> !Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning()));
            Duration stopped = Duration.ofNanos(System.nanoTime() - killed);
            System.out.println("docker: the container stopped " + stopped.toMillis() + " ms after kill -9 of its manager");

            // the next manager's first container kind use removes it
            assertThat(Labels.removeOrphans(docker, java.util.Optional.empty())).isNotEmpty();
            assertThat(DockerTests.containersOfManager(manager.pid())).isEmpty();
        } finally {
            manager.destroyForcibly();
            manager.waitFor();
            DockerTests.containersOfManager(manager.pid())
                    .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
        }
    }
}
