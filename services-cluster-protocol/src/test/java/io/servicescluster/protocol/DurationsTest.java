package io.servicescluster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void readsDurations() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1.5s", "-1s", "30 s", " 30s", "30S", "1d", "5min", "PT5S"})
    void refusesOtherDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration '" + text + "': write a whole number and a unit, such as 250ms, 30s, 5m or 2h");
    }

    @Test
    void refusesDurationsTooLarge() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999h")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Durations.parse("9999999999999999h")).hasMessageContaining("too large");
    }

    /** A duration that Duration holds but whose nanoseconds overflow a long broke the timers that used it. */
    @ParameterizedTest
    @ValueSource(strings = {"99999999999999h", "2562048h", "153722868m", "9223372037s", "9223372036855ms"})
    void refusesDurationsTheTimersCannotCount(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration '" + text + "': too large (at most 2562047h)");
    }

    @Test
    void readsTheLongestDurationInAnyUnit() {
        assertThat(Durations.parse("2562047h").toNanos()).isPositive();
        assertThat(Durations.parse("153722820m")).isEqualTo(Duration.ofHours(2562047));
        assertThat(Durations.format(Durations.parse("2562047h"))).isEqualTo("2562047h");
    }

    @Test
    void formatsDurationsInTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
