package io.servicescluster.core.container.docker;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The Docker engine as the tests see it: a client of their own, the test image, and the rule
 * for a missing engine — skipped with a loud message, or failed when {@code SVC_DOCKER_REQUIRED}
 * is set (as {@code .ci/run} does, which starts an engine).
 */
final class DockerTests {

    /**
     * An empty image (built {@code FROM scratch}): the tests run the host's JDK in
     * it, bind-mounted read-only ({@link DockerSettings#hostJdk()}). Made by the tests when
     * missing; shared, never removed.
     */
    static final String IMAGE = "svc-empty:latest";

    private static DockerClient client;
    private static String unavailable;

    private DockerTests() {
    }

    /** The client, with the engine answering and the test image present; else the test is skipped or fails. */
    static synchronized DockerClient requireEngine() {
        if (client == null && unavailable == null) {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
            DockerClient candidate = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(5)).build());
            try {
                candidate.pingCmd().exec();
                ensureImage(candidate);
                client = candidate;
            } catch (RuntimeException e) {
                unavailable = "no Docker engine at " + config.getDockerHost() + ": " + e;
            }
        }
        if (unavailable != null) {
            String banner = "\n" + "!".repeat(100) + "\n!!! DOCKER TESTS SKIPPED: " + unavailable
                    + "\n!!! start dockerd (see docs/docker.md) or set DOCKER_HOST; .ci/run starts one\n"
                    + "!".repeat(100);
            System.err.println(banner);
            if (System.getenv("SVC_DOCKER_REQUIRED") != null) {
                fail("SVC_DOCKER_REQUIRED is set but " + unavailable);
            }
            Assumptions.abort(unavailable);
        }
        return client;
    }

    /**
     * Builds the empty test image if the engine has none yet, from a build context holding only
     * {@code FROM scratch}: an image without layers. (Not {@code createImageCmd}, the API twin of
     * {@code docker import -}: docker-java 3.4.1 sends its body as {@code {}}, not the archive.)
     */
    private static void ensureImage(DockerClient docker) {
        try {
            docker.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException missing) {
            docker.buildImageCmd(new ByteArrayInputStream(emptyImageContext())).withTags(Set.of(IMAGE))
                    .exec(new BuildImageResultCallback()).awaitImageId();
            docker.inspectImageCmd(IMAGE).exec();
        }
    }

    private static byte[] emptyImageContext() {
        byte[] dockerfile = "FROM scratch\nLABEL io.servicescluster.test=empty\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry("Dockerfile");
            entry.setSize(dockerfile.length);
            tar.putArchiveEntry(entry);
            tar.write(dockerfile);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The containers of this test JVM's managers running one of {@code services}. */
    static List<Container> runningContainersOf(String... services) {
        Set<String> names = Set.of(services);
        return requireEngine().listContainersCmd()
                .withLabelFilter(Map.of(Labels.MANAGER_PID, Long.toString(ProcessHandle.current().pid())))
                .exec().stream()
                .filter(c -> c.getLabels() != null && names.contains(c.getLabels().get(Labels.SERVICE)))
                .toList();
    }

    /** Every container, running or not, made by the manager with that pid. */
    static List<Container> containersOfManager(long pid) {
        return requireEngine().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.MANAGER_PID, Long.toString(pid))).exec();
    }
}
