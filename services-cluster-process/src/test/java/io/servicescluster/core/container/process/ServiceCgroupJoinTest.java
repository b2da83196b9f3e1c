package io.servicescluster.core.container.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which file the launch shell writes {@code 0} (itself) to, to join a service's cgroup: in v1 the
 * {@code tasks} of every controller folder, since moving a whole process through
 * {@code cgroup.procs} waits for an RCU grace period (milliseconds of every start); in v2
 * {@code cgroup.procs}, the only way there. On cgroup file systems laid out in a folder, as the
 * kernel shows them; that the JVM really lands in its cgroup is ResourceLimitsTest's.
 */
class ServiceCgroupJoinTest {

    private static final Resources LIMITED = new Resources(OptionalLong.of(64L << 20), OptionalDouble.of(0.5),
            OptionalLong.of(100), OptionalLong.empty());

    @TempDir
    Path root;

    @Test
    void inV1TheShellJoinsThroughTasksOfEveryController() throws Exception {
        for (String probe : new String[] {"memory/memory.limit_in_bytes", "cpu/cpu.cfs_quota_us", "pids/cgroup.procs"}) {
            Files.createDirectories(root.resolve(probe).getParent());
            Files.writeString(root.resolve(probe), "");
        }
        ServiceCgroup cgroup = ServiceCgroup.prepare(root, Path.of("cluster-1-abcd", "svc"), LIMITED);
        Path group = Path.of("services-cluster", "cluster-1-abcd", "svc");
        assertThat(cgroup.joinFiles()).containsExactly(root.resolve("memory").resolve(group).resolve("tasks"),
                root.resolve("cpu").resolve(group).resolve("tasks"), root.resolve("pids").resolve(group).resolve("tasks"));
        assertThat(cgroup.procsFiles()).allMatch(f -> f.getFileName().toString().equals("cgroup.procs"));
    }

    @Test
    void inV2TheShellJoinsThroughCgroupProcs() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        ServiceCgroup cgroup = ServiceCgroup.prepare(root, Path.of("cluster-1-abcd", "svc"), LIMITED);
        // the processes in a leaf: the service's folder gives its controllers on to its children's
        Path service = root.resolve("services-cluster").resolve("cluster-1-abcd").resolve("svc");
        assertThat(cgroup.joinFiles()).containsExactly(service.resolve("_remote").resolve("cgroup.procs"));
        assertThat(Files.readString(service.resolve("pids.max"))).isEqualTo("100");
        assertThat(Files.readString(service.resolve("cgroup.subtree_control"))).contains("+pids", "+memory", "+cpu");
    }

    @Test
    void aChildsCgroupLiesInItsParentsInV1() throws Exception {
        for (String probe : new String[] {"memory/memory.limit_in_bytes", "cpu/cpu.cfs_quota_us", "pids/cgroup.procs"}) {
            Files.createDirectories(root.resolve(probe).getParent());
            Files.writeString(root.resolve(probe), "");
        }
        ServiceCgroup parent = ServiceCgroup.prepare(root, Path.of("cluster-1-abcd", "svc"), LIMITED);
        ServiceCgroup child = ServiceCgroup.prepare(root, parent.path().resolve("kid"), LIMITED);
        Path kid = Path.of("services-cluster", "cluster-1-abcd", "svc", "kid");
        assertThat(child.path()).isEqualTo(Path.of("cluster-1-abcd", "svc", "kid"));
        assertThat(child.joinFiles()).containsExactly(root.resolve("memory").resolve(kid).resolve("tasks"),
                root.resolve("cpu").resolve(kid).resolve("tasks"), root.resolve("pids").resolve(kid).resolve("tasks"));
        assertThat(Files.readString(root.resolve("pids").resolve(kid).resolve("pids.max"))).isEqualTo("100");
    }

    @Test
    void aChildsCgroupLiesInItsParentsInV2() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        ServiceCgroup parent = ServiceCgroup.prepare(root, Path.of("cluster-1-abcd", "svc"), LIMITED);
        ServiceCgroup child = ServiceCgroup.prepare(root, parent.path().resolve("kid"), LIMITED);
        Path kid = root.resolve("services-cluster").resolve("cluster-1-abcd").resolve("svc").resolve("kid");
        assertThat(child.joinFiles()).containsExactly(kid.resolve("_remote").resolve("cgroup.procs"));
        assertThat(Files.readString(kid.resolve("pids.max"))).isEqualTo("100");
        assertThat(Files.readString(kid.getParent().resolve("cgroup.subtree_control"))).contains("+pids");
    }
}
