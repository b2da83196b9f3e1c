package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.core.config.ClusterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §4: one manager per cluster (its state folder). A second is refused before it touches
 * anything, naming the running manager's pid; once the first ends, the next one builds.
 */
class ClusterLockTest {

    @TempDir
    Path state;

    @Test
    void aSecondManagerOfTheSameStateFolderIsRefusedWithThePidOfTheFirst() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("twice").service(idle("a")).build();
        Path events = state.resolve("second-events.jsonl");
        try (ServicesManager first = ServicesManager.builder(cluster).stateDir(state).build()) {
            assertThatThrownBy(() -> ServicesManager.builder(cluster).stateDir(state).eventLog(events).build())
                    .isInstanceOfSatisfying(ClusterRunningException.class, e -> {
                        assertThat(e.cluster()).isEqualTo("twice");
                        assertThat(e.pid()).hasValue(ProcessHandle.current().pid());
                    })
                    .hasMessageStartingWith("cluster 'twice' is already running (manager pid "
                            + ProcessHandle.current().pid() + ", state folder ");
            assertThat(events).as("the refused manager wrote nothing").doesNotExist();
            // another folder is another cluster, even with the same name
            try (ServicesManager elsewhere = ServicesManager.builder(cluster).stateDir(state.resolve("other")).build()) {
                assertThat(elsewhere.spec().name()).isEqualTo("twice");
            }
            assertThat(Files.readString(state.resolve(ClusterLock.FILE_NAME)).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
        try (ServicesManager again = ServicesManager.builder(cluster).stateDir(state).build()) {
            assertThat(again.spec().name()).isEqualTo("twice");
        }
    }
}
