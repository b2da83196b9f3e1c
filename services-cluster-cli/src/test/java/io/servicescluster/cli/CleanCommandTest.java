package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import io.servicescluster.core.manager.RunFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code svc clean} (SPEC §5): after {@code kill -9} of a manager, it removes the run folder and
 * the docker containers that manager left, keeps everything of a live manager of the same
 * cluster, says {@code nothing to clean} when there is nothing, and fails with exit 1 for a
 * cluster it knows nothing of. (The swarm's and Kubernetes' leftovers: SwarmCleanTest,
 * KubernetesContainerTest and ManagerKillTest, through the same SPI.)
 */
class CleanCommandTest {

    @TempDir
    Path dir;

    /** A cluster file {@code NAME/cluster.yaml} of one service, with {@code extra} keys. */
    private Path cluster(String name, String extra) throws IOException {
        return cluster(name, name, extra);
    }

    /** A cluster file {@code FOLDER/cluster.yaml} of cluster {@code name}, one service with {@code extra} keys. */
    private Path cluster(String folder, String name, String extra) throws IOException {
        return TestFiles.write(Files.createDirectories(dir.resolve(folder)),
                "name: " + name + "\nservices:\n  db:\n" + TestFiles.code("Greeter") + extra);
    }

    private List<Path> runFolders(String cluster) throws IOException {
        try (Stream<Path> folders = Files.list(RunFolders.base())) {
            return folders.filter(f -> f.getFileName().toString().startsWith(cluster + "-")).toList();
        }
    }

    @Test
    void cleanRemovesTheRunFolderOfAKilledManagerAndKeepsALiveOnesOfTheSameCluster() throws Exception {
        Path file = cluster("shop", "");
        Path elsewhere = cluster("elsewhere", "shop", ""); // the same cluster name, run from another folder
        try (SvcRun killed = SvcRun.command(dir, dir, "killed.err", "run", file.toString());
                SvcRun live = SvcRun.command(dir, dir, "live.err", "run", elsewhere.toString())) {
            killed.awaitAllRunning(file.toString());
            live.awaitAllRunning(elsewhere.toString());
            killed.process().destroyForcibly().waitFor();
            assertThat(runFolders("shop")).as("the killed manager's run folder, left, and the live one's").hasSize(2);

            Result clean = Result.of("clean", "--cluster", "shop");

            assertThat(clean.status()).as(clean.err()).isZero();
            assertThat(clean.out().lines()).singleElement().asString()
                    .startsWith("run-folder " + RunFolders.base() + ": removed shop-" + killed.process().pid() + "-")
                    .endsWith(" of cluster 'shop', left by manager pid " + killed.process().pid() + " that died");
            assertThat(runFolders("shop")).as("the live manager's run folder").singleElement().asString()
                    .contains("shop-" + live.process().pid() + "-");
            assertThat(Result.of("ps", "--cluster", elsewhere.toString()).status()).as("the live cluster answers").isZero();

            Result again = Result.of("clean", "--cluster", file.toString());
            assertThat(again.status()).as(again.err()).isZero();
            assertThat(again.out()).isEqualTo("nothing to clean\n");
        }
    }

    @Test
    void aClusterNothingIsKnownOfIsExit1WithAMessage() throws Exception {
        SvcRun.isolate(dir);
        Result unknown = Result.of("clean", "--cluster", "nosuch");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("svc clean: nothing is known here of a cluster named 'nosuch': no manager "
                + "of it, live or dead, has a run folder under " + RunFolders.base());
        assertThat(unknown.out()).isEmpty();

        Result missing = Result.of("clean", "--cluster", dir.resolve("gone.yaml").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("svc clean: no cluster file " + dir.resolve("gone.yaml") + "\n");
    }

    @Test
    void cleanRemovesTheDockerContainersOfAKilledManagerAndKeepsALiveOnes() throws Exception {
        Optional<String> noEngine = DockerImage.ensureEmptyImage();
        if (noEngine.isPresent()) {
            if (System.getenv("SVC_DOCKER_REQUIRED") != null) {
                throw new AssertionError("SVC_DOCKER_REQUIRED is set but " + noEngine.get());
            }
            Assumptions.abort(noEngine.get());
        }
        String docker = "    container: docker\n    docker: { image: '" + DockerImage.EMPTY + "' }\n";
        Path doomed = cluster("doomed", docker);
        Path alive = cluster("alive", docker);
        Map<String, String> hostJdk = Map.of("SVC_DOCKER_HOST_JDK", "true");
        try (SvcRun killed = SvcRun.command(dir, dir, "doomed.err", hostJdk, "run", doomed.toString());
                SvcRun live = SvcRun.command(dir, dir, "alive.err", hostJdk, "run", alive.toString())) {
            killed.awaitAllRunning(doomed.toString());
            live.awaitAllRunning(alive.toString());
            long pid = killed.process().pid();
            List<String> containers = DockerImage.containersOf(pid);
            assertThat(containers).hasSize(1);
            killed.process().destroyForcibly().waitFor();

            Result clean = Result.of("clean", "--cluster", doomed.toString());

            assertThat(clean.status()).as(clean.err()).isZero();
            assertThat(clean.out().lines()).hasSize(2)
                    .anySatisfy(l -> assertThat(l).matches("docker \\S+: removed container "
                            + containers.getFirst().substring(0, 12) + " of doomed/db, left by manager pid " + pid
                            + " that died"))
                    .anySatisfy(l -> assertThat(l).startsWith("run-folder "));
            assertThat(DockerImage.containersOf(pid)).as("the killed manager's container").isEmpty();
            assertThat(DockerImage.containersOf(live.process().pid())).as("the live manager's container").hasSize(1);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(Result.of("ps", "--cluster", alive.toString()).rows())
                            .allSatisfy(r -> assertThat(r.get(1)).isEqualTo("running")));
            // the live manager ends as a user ends it (SIGTERM), removing its own container: closing
            // the SvcRun would kill it, and leave the container as a killed manager's
            long livePid = live.process().pid();
            live.process().destroy();
            assertThat(live.process().waitFor(60, TimeUnit.SECONDS)).as("the live manager ended").isTrue();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(DockerImage.containersOf(livePid)).isEmpty());
        }
    }
}
