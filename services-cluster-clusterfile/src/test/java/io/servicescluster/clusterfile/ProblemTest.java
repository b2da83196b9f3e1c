package io.servicescluster.clusterfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.core.config.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {

    private static final Path FILE = Path.of("dir", "cluster.yaml");

    @Test
    void printsFileLineKeyAndMessage() {
        assertThat(new Problem(FILE, 12, "services.orders.restart.within", "invalid duration '5'"))
                .hasToString(FILE + ":12: services.orders.restart.within: invalid duration '5'");
    }

    @Test
    void leavesOutALineOfZeroAndAnEmptyKey() {
        assertThat(new Problem(FILE, 0, "", "no such file")).hasToString(FILE + ": no such file");
        assertThat(new Problem(FILE, 3, "", "YAML syntax error")).hasToString(FILE + ":3: YAML syntax error");
    }

    @Test
    void theExceptionListsEveryProblemOneALine() {
        var problems = List.of(new Problem(FILE, 1, "name", "a"), new Problem(FILE, 2, "services", "b"));

        var exception = new ClusterFileException(FILE, problems);

        assertThat(exception.problems()).isEqualTo(problems);
        assertThat(exception.file()).isEqualTo(FILE);
        assertThat(exception).hasMessage(FILE + ":1: name: a\n" + FILE + ":2: services: b");
    }

    @Test
    void theExceptionNeedsAProblem() {
        assertThatThrownBy(() -> new ClusterFileException(FILE, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
