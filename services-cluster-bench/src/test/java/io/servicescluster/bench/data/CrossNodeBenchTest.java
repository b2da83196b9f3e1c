package io.servicescluster.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cross-node row refuses to run, saying why, without the swarm test bed (bin/bench --only x). */
class CrossNodeBenchTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheTestBedsNamespacesTheRowFailsNamingThemAndWhatToRun() {
        CrossNodeBench bench = new CrossNodeBench(dir.resolve("netns"), dir.resolve("sockets"));
        assertThatThrownBy(bench::requireTestBed).isInstanceOf(CrossNodeBench.TestBedDown.class)
                .hasMessageContaining("no network namespace " + dir.resolve("netns/svc-swarm-a"))
                .hasMessageContaining("no network namespace " + dir.resolve("netns/svc-swarm-b"))
                .hasMessageContaining("run bin/swarm-testbed up");
    }

    @Test
    void withNamespacesButNoEnginesTheRowFailsNamingTheSockets() throws Exception {
        Files.createDirectories(dir.resolve("netns"));
        Files.createFile(dir.resolve("netns/svc-swarm-a"));
        Files.createFile(dir.resolve("netns/svc-swarm-b"));
        CrossNodeBench bench = new CrossNodeBench(dir.resolve("netns"), dir.resolve("sockets"));
        assertThatThrownBy(bench::requireTestBed).isInstanceOf(CrossNodeBench.TestBedDown.class)
                .hasMessageContaining("no engine socket " + dir.resolve("sockets/a.sock"))
                .hasMessageContaining("no engine socket " + dir.resolve("sockets/b.sock"));
    }

    @Test
    void anEngineThatDoesNotAnswerIsNamedWithItsAddress() throws Exception {
        Files.createDirectories(dir.resolve("netns"));
        Files.createDirectories(dir.resolve("sockets"));
        for (String node : new String[] {"a", "b"}) {
            Files.createFile(dir.resolve("netns/svc-swarm-" + node));
            Files.createFile(dir.resolve("sockets/" + node + ".sock")); // a file, not a listening socket
        }
        CrossNodeBench bench = new CrossNodeBench(dir.resolve("netns"), dir.resolve("sockets"));
        assertThatThrownBy(bench::requireTestBed).isInstanceOf(CrossNodeBench.TestBedDown.class)
                .hasMessageContaining("node a's engine at unix://" + dir.resolve("sockets/a.sock"));
    }
}
