package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ServiceContainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container kind whose code is broken (a jar of another build on the manager's class path: a
 * {@link LinkageError} out of its {@code create}) fails that service with the error's words; the
 * manager does not wait forever for a create that never answers.
 */
class BrokenKindTest {

    @TempDir
    Path state;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLinkageErrorOfAContainerKindFailsTheServiceAndTheClusterStillCloses() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("broken")
                .service(ServiceSpec.builder("web").code(CodeSpec.ofClass("demo.Web")).container("broken"))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state)
                .containerFactory(new BrokenFactory()).build()) {
            manager.start();
            manager.whenStartupSettled().get(30, TimeUnit.SECONDS);
            assertThat(manager.status("web").state()).isEqualTo(ServiceState.NEW);
            assertThat(manager.status("web").problem()).hasValueSatisfying(p -> assertThat(p)
                    .contains("NoClassDefFoundError", "demo/Missing"));
        }
    }

    private static final class BrokenFactory implements ContainerFactory {
        @Override
        public String kind() {
            return "broken";
        }

        @Override
        public ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment) {
            return new ServiceContainer() {
                @Override
                public String kind() {
                    return "broken";
                }

                @Override
                public void create() {
                    throw new NoClassDefFoundError("demo/Missing");
                }

                @Override
                public RemoteProcess launch(Duration timeout) {
                    throw new AssertionError("never created");
                }

                @Override
                public void destroy() {
                }
            };
        }
    }
}
