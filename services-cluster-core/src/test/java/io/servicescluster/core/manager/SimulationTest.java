package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deterministic simulation of the decision loop (issue 12): {@value #DEFAULT_SEEDS} seeded runs
 * of {@link Simulation}, each checked for the loop's own problems. A failing seed is printed
 * with the one command that replays it exactly. {@code -Dsim.seeds=1000000} digs deeper;
 * {@code -Dsim.seed=N} replays one; {@code -Dsim.from=N} starts elsewhere.
 */
class SimulationTest {

    static final int DEFAULT_SEEDS = 10_000;

    @Test
    void everySeedRunsToAnOrderlyEnd() {
        long from = Long.getLong("sim.from", 1);
        long count = Long.getLong("sim.seeds", DEFAULT_SEEDS);
        Long only = Long.getLong("sim.seed");
        if (only != null) {
            from = only;
            count = 1;
        }
        List<String> failures = new ArrayList<>();
        long events = 0;
        long started = System.nanoTime();
        for (long seed = from; seed < from + count && failures.size() < 5; seed++) {
            Simulation.Result result = Simulation.run(seed);
            events += result.events().size();
            if (only != null) { // a replay: the whole run's log, to read
                result.events().forEach(e -> System.out.println(line(e)));
            }
            if (!result.problems().isEmpty()) {
                failures.add("seed " + seed + " (" + result.services() + " services): "
                        + String.join("\n    ", result.problems()) + "\n  replay: " + replay(seed));
            }
        }
        System.out.printf("simulation: %d seeds from %d, %d events, %d ms%n", count, from, events,
                (System.nanoTime() - started) / 1_000_000);
        assertThat(failures).as("failing seeds").isEmpty();
    }

    @Test
    void aSeedReplaysExactly() {
        for (long seed : new long[] {7, 4242, 90210}) {
            List<String> first = Simulation.run(seed).events().stream().map(SimulationTest::line).toList();
            List<String> again = Simulation.run(seed).events().stream().map(SimulationTest::line).toList();
            assertThat(again).as("seed %d", seed).isEqualTo(first).isNotEmpty();
        }
    }

    private static String line(ServiceEvent event) {
        return new String(EventLog.toJson(event), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String replay(long seed) {
        return "bin/mvnw -o -q verify -pl services-cluster-core -am -Dtest=SimulationTest#everySeedRunsToAnOrderlyEnd"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=" + seed;
    }
}
