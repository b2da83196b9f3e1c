package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §2: the loop's legal transitions are written down in one place, and an illegal one throws.
 */
class ServiceStateTest {

    @TempDir
    Path state;

    @Test
    void onlyTheWrittenTransitionsAreLegal() {
        assertThat(ServiceState.NEW.mayMoveTo(ServiceState.CREATING)).isTrue();
        assertThat(ServiceState.RUNNING.mayMoveTo(ServiceState.STARTING)).isFalse();
        assertThat(ServiceState.CLOSED.mayMoveTo(ServiceState.RUNNING)).isFalse();
        assertThat(ServiceState.DESTROYED.mayMoveTo(ServiceState.NEW)).isFalse();
        ServiceNode node = new ServiceNode(io.servicescluster.core.config.ServiceSpec.builder("a").code(io.servicescluster.core.config.CodeSpec.ofClass("sim.Service")).build(), new SimContainer("a", new VirtualTime(),
                new java.util.Random(1), new java.util.ArrayList<>()), state);
        assertThatThrownBy(() -> node.moveTo(ServiceState.RUNNING, java.time.Instant.EPOCH))
                .isInstanceOf(IllegalStateException.class).hasMessage("illegal transition of 'a': NEW -> RUNNING");
    }
}
