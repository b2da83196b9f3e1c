package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServiceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What {@code svc ps} prints besides the columns: problems, and the restrictions each service runs under (R15). */
class StatusTableTest {

    @Test
    void listsProblemsAndRestrictionsUnderTheTable() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        ServiceStatus sandboxed = new ServiceStatus("api", "process", ServiceState.RUNNING, Optional.empty(),
                OptionalLong.of(42), Optional.of(now.minusSeconds(190)), 1, Optional.empty(), List.of(),
                List.of("network: false", "resources.memory 128m"));
        ServiceStatus broken = new ServiceStatus("db", "process", ServiceState.CLOSED, Optional.of("start timed out"),
                OptionalLong.empty(), Optional.empty(), 3, Optional.empty(), List.of(), List.of());

        List<String> lines = StatusTable.render(List.of(sandboxed, broken), now).lines().toList();

        assertThat(lines.get(0)).startsWith("NAME").contains("RESTARTS");
        assertThat(lines.get(1)).startsWith("api").contains("running").contains("42").contains("3m10s");
        assertThat(lines.get(2)).startsWith("db").contains("closed");
        assertThat(lines).contains("db: start timed out", "api is restricted: network: false; resources.memory 128m");
        assertThat(lines).noneMatch(l -> l.startsWith("db is restricted"));
    }
}
