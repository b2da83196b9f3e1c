package io.servicescluster.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The latencies a throughput run keeps: only while measuring, their percentiles from what was kept. */
class LoadDriverTest {

    @Test
    void latenciesCountOnlyWhileMeasuredAndGivePercentiles() {
        LoadDriver.Latencies latencies = new LoadDriver.Latencies();
        latencies.add(1_000_000); // warm-up: not measured
        assertThat(latencies.percentile(50)).isZero();
        latencies.measuring = true;
        for (long i = 1; i <= 100; i++) {
            latencies.add(i * 1000);
        }
        latencies.measuring = false;
        latencies.add(5_000_000); // after the window
        assertThat(latencies.percentile(50)).isEqualTo(51_000);
        assertThat(latencies.percentile(99)).isEqualTo(100_000);
    }
}
