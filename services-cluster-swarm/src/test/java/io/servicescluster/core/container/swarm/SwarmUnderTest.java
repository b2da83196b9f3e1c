package io.servicescluster.core.container.swarm;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.ContainerUnderTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The swarm container kind for the conformance suite, on the test bed's two nodes. */
final class SwarmUnderTest implements ContainerUnderTest {

    static final SwarmUnderTest INSTANCE = new SwarmUnderTest();

    /** One factory for every test, as one manager process would have. */
    static final SwarmContainerFactory FACTORY = new SwarmContainerFactory(new SwarmSettings(SwarmTests.NODES.get("a"),
            Optional.of(SwarmTests.MANAGER_ADDRESS), SwarmTests.IMAGE, SwarmTests.JAVA));

    private SwarmUnderTest() {
    }

    @Override
    public String kind() {
        return SwarmKind.NAME;
    }

    /** On the worker node: another node than the manager's, and one node, so that the work directory persists. */
    @Override
    public ServiceSpec.Builder adapt(ServiceSpec.Builder service) {
        return service.container(SwarmKind.NAME).options(SwarmTests.onWorker());
    }

    /** The work directory's volume on the node that has it (both nodes are on this machine). */
    @Override
    public Path workDir(Path stateDir, String service) {
        Path here = ContainerUnderTest.super.workDir(stateDir, service);
        return SwarmTests.volumeOf(here).orElse(here.resolve("(no volume of " + service + " on any node)"));
    }

    @Override
    public ServicesManager.Builder register(ServicesManager.Builder manager) {
        SwarmTests.requireTestBed();
        return manager.containerFactory(FACTORY);
    }

    /** The host pids of the running task containers (the test bed's nodes run on this machine). */
    @Override
    public List<Long> liveRemotes(String... services) {
        return SwarmTests.runningContainersOf(services).stream().map(SwarmTests::hostPid)
                .flatMap(Optional::stream).toList();
    }

    /** In its own pid namespace, a service sees itself as pid 1. */
    @Override
    public boolean servicesSeeHostPids() {
        return false;
    }
}
