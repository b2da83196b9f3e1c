package io.servicescluster.core.manager;

import io.servicescluster.testing.ContainerUnderTest;

/** The lifecycle rules (R4–R13) on the process container. */
class ProcessContainerConformanceTest extends ContainerConformanceTest {

    @Override
    protected ContainerUnderTest container() {
        return ContainerUnderTest.PROCESS;
    }
}
