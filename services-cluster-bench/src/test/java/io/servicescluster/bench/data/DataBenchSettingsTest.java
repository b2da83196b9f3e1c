package io.servicescluster.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bench's choice of where handlers run: the defaults, the two names, and a clear error for any other. */
class DataBenchSettingsTest {

    @AfterEach
    void clear() {
        System.clearProperty("bench.dispatch");
        System.clearProperty(GrpcBench.EXECUTOR);
    }

    @Test
    void defaultsAreDirectAndOtherNamesAreRefused() {
        assertThat(DataBench.dispatch()).isEqualTo("direct");
        assertThat(DataBench.grpcExecutor()).isEqualTo("direct");
        System.setProperty("bench.dispatch", "thread");
        System.setProperty(GrpcBench.EXECUTOR, "default");
        assertThat(DataBench.dispatch()).isEqualTo("thread");
        assertThat(DataBench.grpcExecutor()).isEqualTo("default");
        System.setProperty(GrpcBench.EXECUTOR, "defualt");
        assertThatThrownBy(DataBench::grpcExecutor).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dbench.grpc.executor must be direct or default, not defualt");
        System.setProperty("bench.dispatch", "virtual");
        assertThatThrownBy(DataBench::dispatch).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dbench.dispatch must be direct or thread, not virtual");
    }
}
