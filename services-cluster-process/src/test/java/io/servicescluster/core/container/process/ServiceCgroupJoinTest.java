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
        ServiceCgroup cgroup = ServiceCgroup.prepare(root, "cluster-1-abcd", "svc", LIMITED);
        Path group = Path.of("services-cluster", "cluster-1-abcd", "svc");
        assertThat(cgroup.joinFiles()).containsExactly(root.resolve("memory").resolve(group).resolve("tasks"),
                root.resolve("cpu").resolve(group).resolve("tasks"), root.resolve("pids").resolve(group).resolve("tasks"));
        assertThat(cgroup.procsFiles()).allMatch(f -> f.getFileName().toString().equals("cgroup.procs"));
    }

    @Test
    void inV2TheShellJoinsThroughCgroupProcs() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        ServiceCgroup cgroup = ServiceCgroup.prepare(root, "cluster-1-abcd", "svc", LIMITED);
        assertThat(cgroup.joinFiles()).containsExactly(
                root.resolve("services-cluster").resolve("cluster-1-abcd").resolve("svc").resolve("cgroup.procs"));
    }
}
