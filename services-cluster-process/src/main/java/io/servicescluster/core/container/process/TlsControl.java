package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.support.ClusterCa;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.OutputTail;
import io.servicescluster.protocol.TlsCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process container's control channel and data plane under {@code process: {transport: tls}}
 * (R17, docs/multi-host.md): the manager listens for the service's remotes on a TCP port of
 * 127.0.0.1 with mutual TLS ({@link ControlSocket#bindTls}); each start gets a key and
 * certificate of its own from the cluster's CA ({@link ClusterCa#issue}, named {@code CN=SERVICE,
 * OU=start N}) and serves its data plane at {@code tls:127.0.0.1:0}.
 *
 * <p>How the key reaches the remote: through the launch's stdin pipe, which the launch shell hands
 * the JVM as descriptor 3 ({@code SVC_TLS=fd:3}); the manager writes the PEM and closes the pipe,
 * the remote reads it to its end. Only that process holds the pipe: no file to protect or to
 * delete, nothing in the environment or on the command line (which a sibling may read), and it
 * works whatever user the service runs as and whatever its sandbox hides.
 */
final class TlsControl implements AutoCloseable {

    /** Where the remote reads its credentials: the launch's stdin, moved to 3 by the launch shell. */
    static final String CREDENTIALS = "fd:3";
    private static final String LOOPBACK = "127.0.0.1";

    private final String service;
    private final ClusterCa ca;
    private final ControlSocket socket;
    private final AtomicInteger starts = new AtomicInteger();

    private TlsControl(String service, ClusterCa ca, ControlSocket socket) {
        this.service = service;
        this.ca = ca;
        this.socket = socket;
    }

    /**
     * The TLS control of {@code spec}'s container: the cluster's CA (made in the run folder on first
     * use), and a listening port of its own.
     *
     * @throws ContainerException if the service may not use the network (its sandbox has a network
     *     namespace of its own, where the manager's 127.0.0.1 is out of reach), or the port or CA
     *     cannot be made
     */
    static TlsControl open(ServiceSpec spec, ContainerEnvironment environment) throws ContainerException {
        if (!spec.permissions().network()) {
            throw new ContainerException("'" + spec.name() + "' has 'network: false', and 'process: {transport: "
                    + "tls}' needs the network: its sandbox would have a network namespace of its own, where the "
                    + "manager's 127.0.0.1 cannot be reached; allow the network, or use the default transport "
                    + "(pipes), which needs none");
        }
        try {
            ClusterCa ca = ClusterCa.of(environment.runDir(), environment.clusterName());
            return new TlsControl(spec.name(), ca, ControlSocket.bindTls(new InetSocketAddress(LOOPBACK, 0),
                    ca.manager(), spec.name()));
        } catch (IOException e) {
            throw new ContainerException("cannot set up TLS for '" + spec.name() + "': " + e.getMessage(), e);
        }
    }

    /** One start: a new key and certificate, and the remote's hello awaited under its serial. */
    Launch prepare() throws ContainerException {
        try {
            TlsCredentials credentials = ca.issue(service, "start " + starts.incrementAndGet());
            return new Launch(credentials, socket.expect(credentials.serial()));
        } catch (GeneralSecurityException e) {
            throw new ContainerException("cannot issue a certificate for '" + service + "': " + e.getMessage(), e);
        }
    }

    /** One start's credentials and its awaited hello. */
    final class Launch {
        private final TlsCredentials credentials;
        private final CompletableFuture<ControlSocket.Handshake> handshake;

        private Launch(TlsCredentials credentials, CompletableFuture<ControlSocket.Handshake> handshake) {
            this.credentials = credentials;
            this.handshake = handshake;
        }

        /** Sets the remote's endpoints: the manager's TLS port, the credentials' descriptor, a TLS data endpoint. */
        void configure(Map<String, String> environment, boolean servesData) {
            environment.put("SVC_CONTROL", socket.endpoint());
            environment.put("SVC_TLS", CREDENTIALS);
            if (servesData) {
                environment.put("SVC_DATA", "tls:" + LOOPBACK + ":0");
            } else {
                environment.remove("SVC_DATA");
            }
        }

        /**
         * Hands the credentials to {@code process} through its stdin and closes it (and its stdout,
         * which carries nothing under TLS); completes with its hello, or fails when the JVM ends
         * first, with how and its last lines.
         */
        CompletableFuture<ControlSocket.Handshake> handOver(Process process, OutputTail tail) {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(credentials.toPem().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the JVM is gone already: its exit says how, below
            }
            try {
                process.getInputStream().close();
            } catch (IOException e) {
                // nothing was to come through it
            }
            process.onExit().thenCompose(p -> tail.ended().completeOnTimeout(null, 500, TimeUnit.MILLISECONDS))
                    .thenRun(() -> handshake.completeExceptionally(new IOException("its JVM "
                            + RemoteProcess.Exit.describeStatus(process.exitValue()) + " before saying hello"
                            + tail.summary())));
            return handshake;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
