package io.servicescluster.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ServiceNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "order-store-2", "a1", "x-y-z",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"})
    void acceptsValidNames(String name) {
        assertThat(ServiceNames.problem(name)).isEmpty();
        assertThat(ServiceNames.require(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Foo", "1abc", "-abc", "abc-", "a_b", "a.b", "a b", "ä",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"})
    void refusesInvalidNames(String name) {
        assertThat(ServiceNames.problem(name)).contains("invalid name '" + name + "': " + ServiceNames.RULE);
        assertThat(ServiceNames.isValid(name)).isFalse();
    }

    @Test
    void quotesTheNameAndStatesTheRule() {
        assertThat(ServiceNames.problem("Foo_1")).contains("invalid name 'Foo_1': a name is 1 to 63 characters"
                + " of a-z, 0-9 and '-', starts with a letter and does not end with '-'");
        assertThat(ServiceNames.problem(null)).contains("invalid name null: " + ServiceNames.RULE);
    }

    @Test
    void requireThrowsTheMessage() {
        assertThatThrownBy(() -> ServiceNames.require("Foo_1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(ServiceNames.problem("Foo_1").orElseThrow());
    }
}
