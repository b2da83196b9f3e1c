package io.servicescluster.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Docker engine for the CLI's tests, through the {@code docker} command as a user has it:
 * the empty test image that the docker module's tests use too ({@code FROM scratch}; services
 * run the host's JDK in it, {@code SVC_DOCKER_HOST_JDK=true}), and the containers of a manager.
 */
final class DockerImage {

    static final String EMPTY = "svc-empty:latest";

    private DockerImage() {
    }

    /** Makes sure the engine answers and the empty image exists; else why not. */
    static Optional<String> ensureEmptyImage() throws IOException, InterruptedException {
        Run version = run(null, "docker", "version", "--format", "{{.Server.Version}}");
        if (version.status != 0) {
            return Optional.of("no Docker engine answers `docker version`: " + version.output.strip());
        }
        if (run(null, "docker", "image", "inspect", EMPTY).status == 0) {
            return Optional.empty();
        }
        Run build = run("FROM scratch\nLABEL io.servicescluster.test=empty\n", "docker", "build", "-q", "-t", EMPTY, "-");
        return build.status == 0 ? Optional.empty() : Optional.of("cannot build " + EMPTY + ": " + build.output.strip());
    }

    /** The ids of the containers, running or not, made by the manager with that pid. */
    static List<String> containersOf(long managerPid) throws IOException, InterruptedException {
        Run ps = run(null, "docker", "ps", "-aq", "--filter", "label=io.servicescluster.manager-pid=" + managerPid);
        if (ps.status != 0) {
            throw new IllegalStateException("docker ps failed: " + ps.output);
        }
        return ps.output.lines().filter(l -> !l.isBlank()).toList();
    }

    private record Run(int status, String output) {
    }

    private static Run run(String input, String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Run(127, e.getMessage());
        }
        try (OutputStream stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Run(124, "timed out: " + String.join(" ", command));
        }
        return new Run(process.exitValue(), output);
    }
}
