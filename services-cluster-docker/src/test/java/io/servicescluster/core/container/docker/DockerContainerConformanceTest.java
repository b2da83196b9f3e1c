package io.servicescluster.core.container.docker;

import io.servicescluster.core.manager.ContainerConformanceTest;
import io.servicescluster.testing.ContainerUnderTest;
import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifecycle rules (R4–R13) on the docker container: the same suite as the process container's. */
class DockerContainerConformanceTest extends ContainerConformanceTest {

    @Override
    protected ContainerUnderTest container() {
        return DockerUnderTest.INSTANCE;
    }

    /** Whatever a test did, its manager removed every container it made. */
    @AfterEach
    void noContainerLeft() {
        assertThat(DockerTests.containersOfManager(ProcessHandle.current().pid())).isEmpty();
    }
}
