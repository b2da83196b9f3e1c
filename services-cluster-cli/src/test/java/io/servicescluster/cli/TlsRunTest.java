package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process: {transport: tls}} from a cluster file, as users write it (R17,
 * docs/multi-host.md): {@code svc run} in a JVM of its own, two confined services whose control
 * channels and data plane are mutual TLS over 127.0.0.1; a request, its reply and events both ways.
 */
class TlsRunTest {

    /** A dependency that answers {@code get}, and answers the event {@code hello} with its event {@code welcome}. */
    private static final String DB = """
              db:
                code:
                  source: |
                    import io.servicescluster.api.*;
                    public class Db implements Service {
                        public void start(ServiceContext context) {
                            context.onRequestText("get", key -> "value of " + key);
                            context.onEvent("hello", (event, payload) -> {
                                System.out.println("db heard " + new String(payload));
                                context.publish("welcome", payload);
                            });
                        }
                    }
            """;

    /** Its dependent: subscribes, asks, then says hello. */
    private static final String WEB = """
              web:
                dependsOn: [db]
                code:
                  source: |
                    import io.servicescluster.api.*;
                    public class Web implements Service {
                        public void start(ServiceContext context) {
                            Peer db = context.peer("db");
                            db.subscribeText("welcome", text -> System.out.println("web heard " + text));
                            System.out.println("web got " + db.requestText("get", "k").join());
                            db.sendText("hello", "hi");
                        }
                    }
            """;

    @TempDir
    Path dir;

    @Test
    void aDependentCallsItsDependencyOverTlsFromTheClusterFile() throws Exception {
        Path file = TestFiles.write(dir, "name: tlsrun\ndefaults:\n  process: { transport: tls }\nservices:\n" + DB + WEB);
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitLine("web | web got value of k");
            run.awaitLine("db  | db heard hi");
            run.awaitLine("web | web heard hi");
            assertThat(run.stdout()).noneMatch(l -> l.contains("refused"));
        }
    }

    @Test
    void tlsForAServiceWithoutNetworkFailsItsStartSayingWhy() throws Exception {
        Path file = TestFiles.write(dir, "name: tlsnonet\nservices:\n  db:\n    process: { transport: tls }\n"
                + "    permissions: { network: false }\n" + TestFiles.code("Greeter"));
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--for", "1s")) {
            assertThat(run.exitStatus()).as("stderr: %s", run.stderr()).isEqualTo(3);
            assertThat(run.stdout()).anySatisfy(l -> assertThat(l).startsWith("db * failed")
                    .contains("'network: false'", "transport: tls", "network namespace of its own"));
        }
    }

    @Test
    void anUnknownTransportIsAnErrorOfTheFile() throws Exception {
        Path file = TestFiles.write(dir, "name: quic\nservices:\n  db:\n    process: { transport: quic }\n"
                + TestFiles.code("Greeter"));
        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            assertThat(run.exitStatus()).isEqualTo(2);
            assertThat(run.stderr()).contains(file + ":4: services.db.process.transport", "one of pipes, tls");
        }
    }
}
