package io.servicescluster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one reader and writer of {@code unix:/path}, {@code tcp:host:port} and {@code tls:host:port} endpoints. */
class EndpointsTest {

    @Test
    void readsUnixAndTcpEndpoints() {
        assertThat(ConnectionPorts.parseAddress("unix:/run/x.sock")).isEqualTo(UnixDomainSocketAddress.of("/run/x.sock"));
        InetSocketAddress tcp = (InetSocketAddress) ConnectionPorts.parseAddress("tcp:127.0.0.1:7000");
        assertThat(tcp.getHostString()).isEqualTo("127.0.0.1");
        assertThat(tcp.getPort()).isEqualTo(7000);
        assertThat(((InetSocketAddress) ConnectionPorts.parseAddress("tcp:localhost:0")).getPort()).isZero();
        // tls: is TCP with TLS on top: the same address, told apart by isTls
        assertThat(ConnectionPorts.parseAddress("tls:127.0.0.1:7000")).isEqualTo(tcp);
        assertThat(ConnectionPorts.isTls("tls:127.0.0.1:7000")).isTrue();
        assertThat(ConnectionPorts.isTls("tcp:127.0.0.1:7000")).isFalse();
    }

    @Test
    void writesWhatItReads() {
        for (String endpoint : new String[] {"unix:/run/x.sock", "tcp:127.0.0.1:7000", "tcp:localhost:65535"}) {
            assertThat(ConnectionPorts.endpoint(ConnectionPorts.parseAddress(endpoint))).isEqualTo(endpoint);
        }
        assertThat(ConnectionPorts.endpoint(InetSocketAddress.createUnresolved("db.internal", 5432)))
                .isEqualTo("tcp:db.internal:5432");
        assertThat(ConnectionPorts.tlsEndpoint(InetSocketAddress.createUnresolved("db.internal", 5432)))
                .isEqualTo("tls:db.internal:5432");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp:127.0.0.1", "tcp::7000", "tcp:127.0.0.1:", "tcp:127.0.0.1:http",
            "tcp:127.0.0.1:65536", "tcp:127.0.0.1:-1", "tcp:127.0.0.1:+80", "tcp:127.0.0.1:99999999999"})
    void refusesBadTcpEndpointsWithTheirText(String endpoint) {
        assertThatThrownBy(() -> ConnectionPorts.parseAddress(endpoint))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a tcp:host:port endpoint (port 0 to 65535): " + endpoint);
        String tls = "tls:" + endpoint.substring(4);
        assertThatThrownBy(() -> ConnectionPorts.parseAddress(tls))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a tls:host:port endpoint (port 0 to 65535): " + tls);
    }

    @Test
    void aTlsEndpointWithoutCredentialsIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> ConnectionPorts.openChannel("tls:127.0.0.1:1", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tls:127.0.0.1:1 needs TLS credentials, and this side has none (SVC_TLS)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "unix:", "/run/x.sock", "udp:127.0.0.1:53", "TCP:127.0.0.1:80", "TLS:127.0.0.1:80"})
    void refusesOtherEndpoints(String endpoint) {
        assertThatThrownBy(() -> ConnectionPorts.parseAddress(endpoint))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown endpoint (want unix:/path, tcp:host:port or tls:host:port): " + endpoint);
    }

    @Test
    void listensOnEitherKind(@TempDir Path dir) throws Exception {
        SocketAddress unix = ConnectionPorts.parseAddress("unix:" + dir.resolve("s.sock"));
        SocketAddress tcp = ConnectionPorts.parseAddress("tcp:127.0.0.1:0");
        for (SocketAddress address : new SocketAddress[] {unix, tcp}) {
            try (ServerSocketChannel server = ConnectionPorts.listen(address, 8);
                    SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }
}
