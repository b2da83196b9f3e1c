package io.servicescluster.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes as written in cluster files; durations are tested with {@code protocol.Durations}. */
class SizesTest {

    @Test
    void readsSizes() {
        assertThat(Sizes.parseBytes("512k")).isEqualTo(512L * 1024);
        assertThat(Sizes.parseBytes("64m")).isEqualTo(64L << 20);
        assertThat(Sizes.parseBytes("64M")).isEqualTo(64L << 20);
        assertThat(Sizes.parseBytes("1g")).isEqualTo(1L << 30);
        assertThat(Sizes.parseBytes("3G")).isEqualTo(3L << 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "64", "m", "1.5g", "64mb", "64 m", "1t", "-1m"})
    void refusesOtherSizes(String text) {
        assertThatThrownBy(() -> Sizes.parseBytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid size '" + text + "': write a whole number and a unit, such as 512k, 64m or 1g");
    }

    @Test
    void refusesSizesTooLarge() {
        assertThatThrownBy(() -> Sizes.parseBytes("9999999999999g")).hasMessage("invalid size '9999999999999g': too large");
    }
}
