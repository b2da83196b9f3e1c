package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pod's writable scratch space never hides what the image holds at the manager's paths: a
 * class path in a checkout under {@code /tmp} (a CI clone, say) keeps {@code /tmp} as the image
 * has it, and the scratch space moves beside it, named by TMPDIR and {@code java.io.tmpdir}.
 */
class PodScratchTest {

    private static Container container(Path classes) throws Exception {
        ServiceSpec spec = ServiceSpec.builder("orders").container("kubernetes").options(MockCluster.options())
                .code(CodeSpec.ofClass("shop.Orders", classes)).build();
        ContainerEnvironment environment = new ContainerEnvironment("shop", Path.of("/var/run/x"),
                Path.of("/srv/shop/work/orders"), (stream, line) -> { }, Duration.ofSeconds(10), Optional.empty(), false);
        PodRecipe recipe = new PodRecipe(spec, environment, MockCluster.options());
        try (MockCluster cluster = new MockCluster()) {
            RunOwner owner = new RunOwner(cluster.client, MockCluster.NAMESPACE, "shop", "r1");
            owner.acquire();
            Pod pod = recipe.pod(owner, "0123abcd", "tls:127.0.0.1:1", "secret");
            return pod.getSpec().getContainers().getFirst();
        }
    }

    private static String tmpdir(Container container) {
        return container.getEnv().stream().filter(e -> e.getName().equals("TMPDIR")).map(EnvVar::getValue)
                .findFirst().orElseThrow();
    }

    @Test
    void scratchIsTmpWhenNothingTheImageHoldsLiesThere() throws Exception {
        Container main = container(Path.of("/srv/shop/classes"));
        assertThat(main.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(tmpdir(main)).isEqualTo("/tmp");
        assertThat(main.getCommand()).contains("-Djava.io.tmpdir=/tmp");
    }

    @Test
    void scratchMovesBesideTmpWhenTheClassPathLiesUnderIt() throws Exception {
        Container main = container(Path.of("/tmp/ci/main/target/classes"));
        assertThat(main.getVolumeMounts()).noneSatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"))
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(PodRecipe.SCRATCH_BESIDE));
        assertThat(tmpdir(main)).isEqualTo(PodRecipe.SCRATCH_BESIDE);
        assertThat(main.getCommand()).contains("-Djava.io.tmpdir=" + PodRecipe.SCRATCH_BESIDE);
    }
}
