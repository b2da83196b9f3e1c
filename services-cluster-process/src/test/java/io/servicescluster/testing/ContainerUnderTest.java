package io.servicescluster.testing;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * A container kind as the conformance suite ({@code ContainerConformanceTest}) drives it: how to
 * put a service in it, and how to see the remotes it runs from outside.
 */
public interface ContainerUnderTest {

    /** The kind, as in the cluster file. */
    String kind();

    /** {@code service} set to run in this kind. */
    ServiceSpec.Builder adapt(ServiceSpec.Builder service);

    /** Registers this kind's factory, if the manager does not have it built in. */
    default ServicesManager.Builder register(ServicesManager.Builder manager) {
        return manager;
    }

    /**
     * Where this test JVM reads the work directory of {@code service} of a manager with state
     * folder {@code stateDir}: the manager's own folder, unless the kind keeps it elsewhere (a
     * swarm: a volume of the task's node).
     */
    default Path workDir(Path stateDir, String service) {
        return ServiceProcesses.workDir(stateDir, service);
    }

    /** The host pids of the live remotes that run one of {@code services}, of any manager of this test JVM. */
    List<Long> liveRemotes(String... services);

    /**
     * The host pid that the test service wrote to its {@code pid} file, where the service sees
     * host pids (not in a container with its own pid namespace).
     */
    default OptionalLong hostPidFile(Path stateDir, String service) {
        return ServiceProcesses.pidFile(stateDir, service);
    }

    /** Whether a service sees its own host pid ({@link #hostPidFile} holds it). */
    default boolean servicesSeeHostPids() {
        return true;
    }

    /** Whether the remote with that host pid is still alive. */
    default boolean alive(long pid) {
        return ServiceProcesses.alive(pid);
    }

    /** Kills the remote with that host pid from outside, with SIGKILL. */
    default void killRemote(long pid) {
        ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid)).destroyForcibly();
    }

    /** The process container, built into the manager. */
    ContainerUnderTest PROCESS = new ContainerUnderTest() {
        @Override
        public String kind() {
            return "process";
        }

        @Override
        public ServiceSpec.Builder adapt(ServiceSpec.Builder service) {
            return service.container("process");
        }

        @Override
        public List<Long> liveRemotes(String... services) {
            return ServiceProcesses.remotesOf(services).stream().map(ProcessHandle::pid).toList();
        }
    };
}
