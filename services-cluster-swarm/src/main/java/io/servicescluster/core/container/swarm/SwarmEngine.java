package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.support.EngineLabels;
import java.io.IOException;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The Engine API of one swarm manager node: a docker-java client made on first use (TLS for a
 * {@code tcp://} engine from the cluster file's {@code tls: { ca, cert, key }}, else as docker-java
 * reads it: {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}), checked to be a swarm manager, and
 * the nodes' addresses. Thread-safe; one per endpoint and TLS files.
 */
final class SwarmEngine implements AutoCloseable {

    /** The first Engine API with {@code ContainerSpec.CapabilityDrop}. */
    static final RemoteApiVersion MINIMUM_API = RemoteApiVersion.VERSION_1_41;

    private final String endpoint;
    private final Optional<SwarmTls> tls;
    private final Map<String, NodeInfo> nodes = new ConcurrentHashMap<>();
    private volatile DockerClient client;
    private volatile SwarmEvents events;

    /** Where an engine is: its endpoint and the TLS files its clients present. */
    record Address(String endpoint, Optional<SwarmTls> tls) {
    }

    SwarmEngine(Address address) {
        this.endpoint = address.endpoint();
        this.tls = address.tls();
    }

    String endpoint() {
        return endpoint;
    }

    /** The client of a swarm manager that answers, or why not. */
    DockerClient client() throws ContainerException {
        DockerClient connected = client;
        if (connected != null) {
            return connected;
        }
        synchronized (this) {
            if (client == null) {
                if (tls.isPresent() && !endpoint.startsWith("tcp://")) {
                    throw new ContainerException("the swarm engine '" + endpoint + "' is a local socket: its "
                            + "tls: { ca, cert, key } is for a tcp:// Engine API");
                }
                DockerClientConfig config;
                SSLConfig ssl;
                try {
                    config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(endpoint).build();
                    ssl = tls.<SSLConfig>map(t -> t).orElse(config.getSSLConfig());
                    if (ssl != null) {
                        // made now, so that a file that cannot be read is named here, not as a failed request
                        ssl.getSSLContext();
                    }
                } catch (RuntimeException | GeneralSecurityException e) {
                    throw new ContainerException("the swarm engine '" + endpoint + "' cannot be used: " + e.getMessage(), e);
                }
                DockerClient candidate = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost()).sslConfig(ssl)
                        .maxConnections(256).connectionTimeout(Duration.ofSeconds(5)).build());
                Info info;
                try {
                    info = candidate.infoCmd().exec();
                } catch (RuntimeException e) {
                    closeQuietly(candidate);
                    throw new ContainerException("no Docker engine answers at " + endpoint + " (" + describe(e)
                            + ")" + tls.map(t -> refusedHint(e, t)).orElse("") + "; name a swarm manager's Engine API with "
                            + "hosts: { swarm: { docker: … } } or SVC_SWARM_ENGINE", e);
                }
                try {
                    requireApi(config, candidate);
                } catch (ContainerException e) {
                    closeQuietly(candidate);
                    throw e;
                }
                if (info.getSwarm() == null || !Boolean.TRUE.equals(info.getSwarm().getControlAvailable())) {
                    closeQuietly(candidate);
                    throw new ContainerException("the Docker engine at " + endpoint + " is not a swarm manager (its "
                            + "swarm state: " + (info.getSwarm() == null ? "none" : info.getSwarm().getLocalNodeState())
                            + "); run 'docker swarm init' there, or name a manager node's engine");
                }
                client = candidate;
                events = new SwarmEvents(candidate);
            }
            return client;
        }
    }

    /**
     * The task's capability drop ({@link CappedContainerSpec}) is API 1.41 (Docker 20.10): an
     * older engine, or a client pinned below it ({@code DOCKER_API_VERSION}), would drop the field
     * without a word, so refuse them (R15: fail closed).
     */
    private void requireApi(DockerClientConfig config, DockerClient candidate) throws ContainerException {
        RemoteApiVersion pinned = config.getApiVersion();
        String spoken;
        if (pinned != null && !RemoteApiVersion.UNKNOWN_VERSION.equals(pinned)) {
            spoken = pinned.getVersion();
        } else {
            try {
                spoken = candidate.versionCmd().exec().getApiVersion();
            } catch (RuntimeException e) {
                throw new ContainerException("the Docker engine at " + endpoint + " does not tell its API version: "
                        + describe(e), e);
            }
        }
        if (spoken == null || !RemoteApiVersion.parseConfig(spoken).isGreaterOrEqual(MINIMUM_API)) {
            throw new ContainerException("the Docker engine at " + endpoint + " speaks API " + spoken + ", older than "
                    + MINIMUM_API.getVersion() + " (Docker 20.10), which a task's capability drop needs; upgrade it"
                    + (pinned != null && !RemoteApiVersion.UNKNOWN_VERSION.equals(pinned) ? ", or unset DOCKER_API_VERSION" : ""));
        }
    }

    /** The engine's event stream: who learns that a service of ours was removed. */
    SwarmEvents events() throws ContainerException {
        client();
        return events;
    }

    /** The address the swarm knows node {@code nodeId} by ({@code Status.Addr}), as its tasks' data endpoints use it. */
    String nodeAddress(String nodeId) throws ContainerException {
        return node(nodeId).address();
    }

    /** Whether node {@code nodeId} is this machine (the same host name): then its tasks' pids are this host's. */
    boolean isThisHost(String nodeId) {
        try {
            return EngineLabels.hostName().equals(node(nodeId).hostName());
        } catch (ContainerException e) {
            return false;
        }
    }

    /** A node as its tasks need it. */
    record NodeInfo(String address, String hostName) {
    }

    private NodeInfo node(String nodeId) throws ContainerException {
        NodeInfo known = nodes.get(nodeId);
        if (known != null) {
            return known;
        }
        List<SwarmNode> nodes;
        try {
            nodes = client().listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec();
        } catch (RuntimeException e) {
            throw new ContainerException("cannot ask the swarm for node " + nodeId + ": " + describe(e), e);
        }
        SwarmNode node = nodes.stream().filter(n -> nodeId.equals(n.getId())).findFirst().orElse(null);
        String address = node == null || node.getStatus() == null ? null : node.getStatus().getAddress();
        if (address == null || address.isBlank() || address.equals("0.0.0.0")) {
            throw new ContainerException("the swarm does not know the address of node " + nodeId);
        }
        String hostName = node.getDescription() == null ? "" : node.getDescription().getHostname();
        NodeInfo info = new NodeInfo(address, hostName == null ? "" : hostName);
        this.nodes.put(nodeId, info);
        return info;
    }

    /**
     * Why a TLS engine may have refused us. A daemon started with {@code --tlsverify} checks our
     * certificate after TLS 1.3 has let us send the request, so a certificate of another CA shows
     * here as a {@code bad_certificate} alert or, as often, as a broken pipe or a reset: any failure
     * of the connection, with TLS, gets the hint; a daemon we do not trust fails our own handshake.
     */
    private static String refusedHint(Throwable e, SwarmTls tls) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof SocketException) {
                return "; the TLS connection failed: is " + tls.cert() + " signed by the CA the daemon trusts "
                        + "(its --tlscacert), and " + tls.ca() + " the CA of the daemon's certificate?";
            }
        }
        return "";
    }

    /** An engine error in one line ({@link EngineLabels#describe}). */
    static String describe(Throwable e) {
        return EngineLabels.describe(e);
    }

    @Override
    public void close() {
        SwarmEvents stream = events;
        if (stream != null) {
            stream.close();
        }
        DockerClient connected = client;
        if (connected != null) {
            closeQuietly(connected);
        }
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }
}
