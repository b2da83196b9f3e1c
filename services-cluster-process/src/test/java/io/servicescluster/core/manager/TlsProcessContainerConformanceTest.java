package io.servicescluster.core.manager;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.process.ProcessOptions;
import io.servicescluster.testing.ContainerUnderTest;
import java.util.List;

/**
 * The lifecycle rules (R4–R13) on the process container under {@code process: {transport: tls}}:
 * every control channel is mutual TLS over 127.0.0.1 (R17), and nothing of the rules changes.
 */
class TlsProcessContainerConformanceTest extends ContainerConformanceTest {

    private static final ProcessOptions TLS = new ProcessOptions(ProcessOptions.Transport.TLS);

    @Override
    protected ContainerUnderTest container() {
        return new ContainerUnderTest() {
            @Override
            public String kind() {
                return "process";
            }

            @Override
            public ServiceSpec.Builder adapt(ServiceSpec.Builder service) {
                return ContainerUnderTest.PROCESS.adapt(service).options(TLS);
            }

            @Override
            public List<Long> liveRemotes(String... services) {
                return ContainerUnderTest.PROCESS.liveRemotes(services);
            }
        };
    }
}
