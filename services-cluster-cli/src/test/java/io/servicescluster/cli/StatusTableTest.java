package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.manager.ResourceStats;
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

    @Test
    void aRemoteKeptReadyCountsInTheMemoryColumn() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        ResourceStats sample = new ResourceStats(now, 1_000_000, 0.5, 10L << 20, 64L << 20, 45L << 20);
        ServiceStatus pooled = new ServiceStatus("worker", "process", ServiceState.RUNNING, Optional.empty(),
                OptionalLong.of(42), Optional.of(now.minusSeconds(5)), 2, Optional.of(sample), List.of(), List.of(),
                1_000_000, Optional.empty(), 30L << 20);
        ServiceStatus alone = new ServiceStatus("db", "process", ServiceState.RUNNING, Optional.empty(),
                OptionalLong.of(43), Optional.of(now.minusSeconds(5)), 1, Optional.of(sample), List.of(), List.of());

        List<String> lines = StatusTable.render(List.of(pooled, alone), now).lines().toList();

        assertThat(lines.get(1)).startsWith("worker").contains("45.0M+30.0M");
        assertThat(lines.get(2)).startsWith("db").contains("45.0M").doesNotContain("+");
        assertThat(lines).anyMatch(l -> l.startsWith("RSS +N: a remote kept ready for the service's next start"));
        assertThat(StatusTable.render(List.of(alone), now)).doesNotContain("RSS +N");
    }
}
