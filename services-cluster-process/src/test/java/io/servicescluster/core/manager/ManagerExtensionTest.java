package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.core.config.ClusterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link ManagerExtension} (operations are one) runs with the manager's own resources: opened
 * only once the cluster lock is held, attached to the built manager, closed while the lock is
 * still held; a refused or failed build closes what it opened.
 */
class ManagerExtensionTest {

    @TempDir
    Path state;

    /** Records its calls; on close, checks whether another manager of the same folder is refused. */
    private final class Recorder implements ManagerExtension {
        final List<String> calls = new ArrayList<>();
        final ClusterSpec cluster;
        final boolean failAttach;

        Recorder(ClusterSpec cluster, boolean failAttach) {
            this.cluster = cluster;
            this.failAttach = failAttach;
        }

        @Override
        public List<ClusterListener> open(ClusterSpec spec, Path stateDir) {
            calls.add("open " + spec.name() + " " + state.relativize(stateDir));
            return List.of();
        }

        @Override
        public void attach(ServicesManager manager) throws IOException {
            calls.add("attach " + manager.spec().name());
            if (failAttach) {
                throw new IOException("no port");
            }
        }

        @Override
        public void close() {
            try (ServicesManager other = ServicesManager.builder(cluster).stateDir(state).build()) {
                calls.add("close: lock free");
            } catch (ClusterRunningException e) {
                calls.add("close: lock held");
            }
        }
    }

    @Test
    void opensUnderTheLockAttachesAndClosesBeforeTheLockIsReleased() {
        ClusterSpec cluster = ClusterSpec.builder("ext").service(idle("a")).build();
        Recorder extension = new Recorder(cluster, false);
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).extension(extension).build()) {
            assertThat(extension.calls).containsExactly("open ext ", "attach ext");
        }
        assertThat(extension.calls).containsExactly("open ext ", "attach ext", "close: lock held");
    }

    @Test
    void aRefusedManagerOpensNothingAndAFailedAttachClosesTheExtension() {
        ClusterSpec cluster = ClusterSpec.builder("ext").service(idle("a")).build();
        Recorder refused = new Recorder(cluster, false);
        try (ServicesManager first = ServicesManager.builder(cluster).stateDir(state).build()) {
            assertThatThrownBy(() -> ServicesManager.builder(cluster).stateDir(state).extension(refused).build())
                    .isInstanceOf(ClusterRunningException.class);
        }
        assertThat(refused.calls).isEmpty();

        Recorder failing = new Recorder(cluster, true);
        assertThatThrownBy(() -> ServicesManager.builder(cluster).stateDir(state).extension(failing).build())
                .hasMessageContaining("no port");
        assertThat(failing.calls).containsExactly("open ext ", "attach ext", "close: lock held");
    }
}
