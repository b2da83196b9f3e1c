package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.model.Container;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.ContainerUnderTest;
import java.util.ArrayList;
import java.util.List;

/** The docker container kind for the conformance suite: the empty test image running the host's JDK. */
final class DockerUnderTest implements ContainerUnderTest {

    static final DockerUnderTest INSTANCE = new DockerUnderTest();

    /** One factory for every test, as one manager process would have. */
    static final DockerContainerFactory FACTORY = new DockerContainerFactory(DockerSettings.withHostJdk(DockerTests.IMAGE));

    private DockerUnderTest() {
    }

    @Override
    public String kind() {
        return "docker";
    }

    @Override
    public ServiceSpec.Builder adapt(ServiceSpec.Builder service) {
        return service.container("docker").options(DockerOptions.DEFAULT.withImage(DockerTests.IMAGE));
    }

    @Override
    public ServicesManager.Builder register(ServicesManager.Builder manager) {
        DockerTests.requireEngine();
        return manager.containerFactory(FACTORY);
    }

    /** The host pids of the running containers of those services ({@code State.Pid}). */
    @Override
    public List<Long> liveRemotes(String... services) {
        List<Long> pids = new ArrayList<>();
        for (Container container : DockerTests.runningContainersOf(services)) {
            try {
                Long pid = DockerTests.requireEngine().inspectContainerCmd(container.getId()).exec().getState()
                        .getPidLong();
                if (pid != null && pid > 0) {
                    pids.add(pid);
                }
            } catch (RuntimeException e) {
                // it ended meanwhile
            }
        }
        return pids;
    }

    /** In its own pid namespace, a service sees itself as pid 1. */
    @Override
    public boolean servicesSeeHostPids() {
        return false;
    }
}
