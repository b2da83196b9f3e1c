package io.servicescluster.core.container.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.container.support.ServiceUids;
import io.servicescluster.testing.TestClusters;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data folders the manager makes (issue 18's review): {@code RUN/NAME/} the manager's, the
 * sockets in {@code RUN/NAME/_sockets/}, a child's folder inside its parent's; a link in their
 * place is refused, never followed.
 */
class DataFolderTest {

    @TempDir
    Path state;

    private ServiceContainer container(String name, Optional<ServiceContainer> parent) {
        ContainerEnvironment environment = new ContainerEnvironment("shop", state.resolve("run"),
                state.resolve("work").resolve(name), (stream, line) -> { }, Duration.ofSeconds(10), parent, true);
        return new ProcessContainerFactory(RemoteRuntime.detect()).newContainer(TestClusters.idle(name).build(),
                environment);
    }

    @Test
    void aChildsDataFolderLiesInItsParentsAndOnlyTheSocketFolderIsTheServices() throws Exception {
        Files.createDirectories(state.resolve("run"));
        ServiceContainer parent = container("parent", Optional.empty());
        parent.create();
        ServiceContainer child = container("kid", Optional.of(parent));
        child.create();
        try {
            Path kid = state.resolve("run").resolve("parent").resolve("kid");
            assertThat(kid.resolve("_sockets")).isDirectory();
            if (ServiceUids.managerIsRoot()) {
                // the folders on the way are root's: neither service can swap what lies in them
                for (Path folder : new Path[] {kid.getParent(), kid}) {
                    assertThat((Integer) Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isZero();
                }
                assertThat((Integer) Files.getAttribute(kid.resolve("_sockets"), "unix:uid")).isNotZero();
            }
        } finally {
            child.destroy();
            parent.destroy();
        }
    }

    @Test
    void aLinkWhereTheDataFolderGoesIsRefusedNotFollowed() throws Exception {
        Path hidden = Files.createDirectories(state.resolve("hidden"));
        Path run = Files.createDirectories(state.resolve("run"));
        Files.createSymbolicLink(run.resolve("victim"), hidden);
        ServiceContainer container = container("victim", Optional.empty());
        try {
            assertThatThrownBy(container::create).isInstanceOf(ContainerException.class)
                    .hasMessageContaining("cannot create the environment of 'victim'")
                    .hasMessageContaining("is not a folder but a link or a file, which the manager does not follow");
            assertThat(hidden.resolve("_sockets")).doesNotExist();
            assertThat((Integer) Files.getAttribute(hidden, "unix:uid"))
                    .isEqualTo(ServiceUids.processUid()); // not handed to the service
        } finally {
            container.destroy();
        }
    }
}
