package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.support.EngineLabels;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The connection to one Docker engine, shared by every container of a factory: made on first
 * use, from docker-java's standard configuration ({@code DOCKER_HOST} — {@code unix:///…},
 * {@code tcp://host:2376} with {@code DOCKER_TLS_VERIFY=1} and {@code DOCKER_CERT_PATH} —, or
 * {@code ~/.docker-java.properties}; by default the local socket {@code /var/run/docker.sock}).
 * Thread-safe.
 */
final class DockerEngine {

    /** How long pulling a missing image may take. */
    private static final long PULL_MINUTES = 10;

    private final Set<String> presentImages = ConcurrentHashMap.newKeySet();
    private volatile DockerClient client;
    private volatile String host;

    /** The client, connected and answering, or the reason why not. */
    DockerClient client() throws ContainerException {
        DockerClient connected = client;
        if (connected != null) {
            return connected;
        }
        synchronized (this) {
            if (client == null) {
                DockerClientConfig config;
                try {
                    config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
                } catch (RuntimeException e) {
                    throw new ContainerException("the Docker client configuration is invalid (DOCKER_HOST, "
                            + "DOCKER_TLS_VERIFY, DOCKER_CERT_PATH): " + e.getMessage(), e);
                }
                host = config.getDockerHost().toString();
                DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .sslConfig(config.getSSLConfig())
                        // every running container holds two streams open (its wait and its logs)
                        .maxConnections(1024)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .build();
                DockerClient candidate = DockerClientImpl.getInstance(config, http);
                try {
                    candidate.pingCmd().exec();
                } catch (RuntimeException e) {
                    closeQuietly(candidate);
                    throw new ContainerException("no Docker engine answers at " + host + " (" + describe(e)
                            + "); start one (dockerd), or point DOCKER_HOST at one; see docs/docker.md", e);
                }
                client = candidate;
            }
            return client;
        }
    }

    /** The engine's address, once connected. */
    String host() {
        return host;
    }

    /**
     * Makes sure {@code image} is on the engine: it is, or it can be pulled.
     *
     * @throws ContainerException naming the image and what to do
     */
    void requireImage(String image) throws ContainerException {
        if (presentImages.contains(image)) {
            return;
        }
        DockerClient docker = client();
        try {
            docker.inspectImageCmd(image).exec();
        } catch (NotFoundException missing) {
            try {
                if (!docker.pullImageCmd(image).start().awaitCompletion(PULL_MINUTES, TimeUnit.MINUTES)) {
                    throw new ContainerException("the image '" + image + "' is not on the Docker engine at " + host
                            + " and pulling it took longer than " + PULL_MINUTES + " minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("interrupted while pulling the image '" + image + "'");
            } catch (RuntimeException e) {
                throw new ContainerException("the image '" + image + "' is not on the Docker engine at " + host
                        + " and cannot be pulled (" + describe(e) + "); pull, build or import it first, or choose "
                        + "another with docker: { image: … } or SVC_DOCKER_IMAGE", e);
            }
        } catch (RuntimeException e) {
            throw new ContainerException("cannot inspect the image '" + image + "' on the Docker engine at " + host
                    + ": " + describe(e), e);
        }
        presentImages.add(image);
    }

    /** An engine error in one line ({@link EngineLabels#describe}). */
    static String describe(Throwable e) {
        return EngineLabels.describe(e);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }
}
