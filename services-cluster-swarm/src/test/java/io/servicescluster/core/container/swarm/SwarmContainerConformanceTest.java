package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.manager.ContainerConformanceTest;
import io.servicescluster.testing.ContainerUnderTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;

/** The lifecycle rules (R4–R13) on the swarm container, on the test bed: the suite of every kind. */
class SwarmContainerConformanceTest extends ContainerConformanceTest {

    @Override
    protected ContainerUnderTest container() {
        return SwarmUnderTest.INSTANCE;
    }

    /** Whatever a test did, its manager removed every service, secret, config and container it made. */
    @AfterEach
    void nothingLeft() {
        Awaitility.await("nothing of this manager left on the swarm").atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(SwarmTests.leftBy(ProcessHandle.current().pid())).isEmpty());
        SwarmTests.removeVolumes(); // work directories, as each test's state folder is a new one
    }
}
