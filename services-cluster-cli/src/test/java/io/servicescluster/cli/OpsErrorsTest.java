package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.cli.SvcRun.Result;
import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.core.ops.ManagerRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the operating commands say when there is no cluster, or the service name is unknown (SPEC §5: exit 1). */
class OpsErrorsTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandSaysPlainlyThatNoClusterIsRunning() throws Exception {
        SvcRun.isolate(dir);
        // a stale registry entry, as a killed manager leaves behind, is ignored
        Path stale = Files.createDirectories(dir.resolve("run/ghost-1-x"));
        ManagerRegistry.write(stale, new ManagerInfo("ghost", java.util.Optional.empty(), 999_999_999L,
                java.util.Optional.empty(), stale.resolve("control.sock"), java.util.Optional.empty(),
                java.util.OptionalInt.empty()));
        for (List<String> command : List.of(List.of("ps"), List.of("top"), List.of("logs", "web"), List.of("logs", "web", "-f"),
                List.of("stop"), List.of("stop", "web"), List.of("restart", "web"))) {
            Result result = Result.of(command.toArray(String[]::new));
            assertThat(result.status()).as("%s", command).isEqualTo(1);
            assertThat(result.out()).as("%s", command).isEmpty();
            assertThat(result.err()).as("%s", command)
                    .isEqualTo("svc " + command.getFirst() + ": no cluster is running (start one with: svc run FILE)\n");
        }
        Result named = Result.of("ps", "--cluster", "shop");
        assertThat(named.status()).isEqualTo(1);
        assertThat(named.err()).contains("no cluster named 'shop' is running");
        Result byFile = Result.of("ps", "--cluster", dir.resolve("cluster.yaml").toString());
        assertThat(byFile.status()).isEqualTo(1);
        assertThat(byFile.err()).contains("no cluster is running from " + dir.resolve("cluster.yaml"));
    }

    /**
     * A bad DURATION is a usage error (exit 2, as for a missing NAME) that names the option, found
     * before any cluster is asked: it was "svc: invalid duration …", exit 1, once a cluster was found.
     */
    @Test
    void aBadDurationOptionIsAUsageErrorNamingTheOption() throws Exception {
        SvcRun.isolate(dir);
        for (List<String> command : List.of(List.of("stop", "--timeout", "2 min"), List.of("restart", "web", "--timeout", "5x"),
                List.of("top", "--interval", "-1s"))) {
            Result result = Result.of(command.toArray(String[]::new));
            assertThat(result.status()).as("%s", command).isEqualTo(2);
            assertThat(result.err()).as("%s", command).startsWith("svc: Invalid value for option '"
                    + command.get(command.size() - 2) + "': invalid duration '" + command.getLast() + "': write a whole "
                    + "number and a unit, such as 250ms, 30s, 5m or 2h");
        }
    }

    @Test
    void unknownServiceNamesAreRefusedWithTheKnownOnesAndUnknownRequestsWithAClearError() throws Exception {
        Path file = TestFiles.webAndDb(dir);
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitAllRunning(file.toString());
            for (List<String> command : List.of(List.of("logs", "nope"), List.of("stop", "nope"), List.of("restart", "nope"))) {
                Result result = Result.of(command.toArray(String[]::new)); // the only cluster running
                assertThat(result.status()).as("%s", command).isEqualTo(1);
                assertThat(result.err()).as("%s", command).isEqualTo("svc " + command.getFirst()
                        + ": no service named 'nope' in cluster 'greeters' (services: db, web)\n");
            }

            ManagerInfo manager = ManagerRegistry.running().getFirst();
            assertThat(manager.cluster()).isEqualTo("greeters");
            assertThat(manager.clusterFile()).hasValue(file.toRealPath());
            assertThat(Files.getPosixFilePermissions(manager.socket()))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(ask(manager.socket(), "{\"command\":\"reboot\"}"))
                    .isEqualTo("{\"ok\":false,\"error\":\"unknown command 'reboot' (known: status, stop, restart, dump)\"}");
            assertThat(ask(manager.socket(), "hello")).startsWith("{\"ok\":false,\"error\":\"not JSON");
            assertThat(ask(manager.socket(), "{\"command\":\"status\"}")).startsWith("{\"ok\":true,\"cluster\":\"greeters\"");
        }
    }

    private static String ask(Path socket, String request) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(channel);
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))
                    .readLine();
        }
    }
}
