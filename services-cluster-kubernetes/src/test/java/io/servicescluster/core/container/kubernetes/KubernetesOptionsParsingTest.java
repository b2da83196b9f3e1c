package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.clusterfile.ClusterFileException;
import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * SPEC §6's {@code hosts.kubernetes} and {@code placement:}, and the {@code kubernetes} key of a
 * service (docs/kubernetes.md), read through the container-kind SPI.
 */
class KubernetesOptionsParsingTest {

    @Test
    void readsSpecSyntaxHostsAndPlacementAndFillsTheServicesOwnKeyFromHosts() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: shop
                hosts:
                  kubernetes:
                    context: my-cluster
                    namespace: shop
                    advertise: 10.20.0.9
                    image: svc-runtime:local
                    hostNetwork: false
                defaults: { container: kubernetes }
                services:
                  api:
                    code: { class: a.Api }
                    placement: { nodeSelector: { disk: ssd } }
                  db:
                    code: { class: a.Db }
                    kubernetes: { namespace: data, runAsUser: 1000 }
                """, Path.of("shop.yaml"));

        KubernetesOptions api = cluster.service("api").orElseThrow().options(KubernetesOptions.class).orElseThrow();
        assertThat(api).isEqualTo(KubernetesOptions.DEFAULT.withNodeSelector(Map.of("disk", "ssd"))
                .orElse(new KubernetesOptions(Optional.of("my-cluster"), Optional.of("shop"), Optional.of("svc-runtime:local"),
                        Optional.empty(), Optional.empty(), Optional.of("10.20.0.9"), Optional.of(false), Optional.empty(),
                        OptionalLong.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.empty())));
        KubernetesOptions db = cluster.service("db").orElseThrow().options(KubernetesOptions.class).orElseThrow();
        assertThat(db.namespace()).contains("data");
        assertThat(db.context()).contains("my-cluster");
        assertThat(db.runAsUser()).isEqualTo(OptionalLong.of(1000));
        assertThat(db.nodeSelector()).isEmpty();
    }

    @Test
    void theExampleReadsItsClusterFromHosts() throws Exception {
        ClusterSpec shop = ClusterFileParser.parse(Path.of("../examples/shop-on-kubernetes/cluster.yaml"));
        assertThat(shop.services()).isNotEmpty().allSatisfy(service -> {
            assertThat(service.container()).isEqualTo("kubernetes");
            KubernetesOptions options = service.options(KubernetesOptions.class).orElseThrow();
            assertThat(options.image()).contains("svc-runtime:k8s-local");
            assertThat(options.hostNetwork()).contains(true);
            assertThat(options.advertise()).contains("127.0.0.1");
        });
    }

    @Test
    void placementGivenTwiceOrBadIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> ClusterFileParser.parse("""
                name: bad
                hosts:
                  kubernetes: { namespace: Shop, placement: { nodeSelector: { disk: ssd } } }
                services:
                  api:
                    code: { class: a.Api }
                    container: kubernetes
                    kubernetes: { placement: { nodeSelector: { disk: ssd } } }
                    placement: { affinity: { no: map } }
                  web:
                    code: { class: a.Web }
                    container: kubernetes
                    kubernetes: { placement: { nodeSelector: { disk: ssd } } }
                    placement: { nodeSelector: { disk: hdd } }
                """, Path.of("bad.yaml")))
                .isInstanceOf(ClusterFileException.class)
                .hasMessageContaining("bad.yaml:3: hosts.kubernetes.namespace: a namespace name")
                .hasMessageContaining("bad.yaml:3: hosts.kubernetes.placement: unknown key 'placement'")
                .hasMessageContaining("bad.yaml:9: services.api.placement.affinity: a pod affinity as YAML text")
                .hasMessageContaining("bad.yaml:14: services.web.placement: the placement is given twice: here and under "
                        + "'kubernetes'");
    }

    @Test
    void readsEveryOptionAndPlacement() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: shop
                defaults:
                  container: kubernetes
                services:
                  api:
                    code: { class: a.Api }
                    kubernetes:
                      context: prod
                      namespace: shop
                      image: svc-runtime:local
                      java: /opt/jdk/bin/java
                      runtime: /opt/svc/lib/*
                      advertise: 10.20.0.9
                      hostNetwork: true
                      pullPolicy: Never
                      runAsUser: 1000
                      networkPolicies: true
                      placement:
                        nodeSelector: { disk: ssd, "topology.kubernetes.io/zone": eu-1 }
                        affinity: |
                          nodeAffinity:
                            requiredDuringSchedulingIgnoredDuringExecution:
                              nodeSelectorTerms:
                              - matchExpressions:
                                - { key: arch, operator: In, values: [amd64] }
                """, Path.of("shop.yaml"));

        KubernetesOptions options = cluster.service("api").orElseThrow().options(KubernetesOptions.class).orElseThrow();
        assertThat(cluster.service("api").orElseThrow().container()).isEqualTo("kubernetes");
        assertThat(options.context()).contains("prod");
        assertThat(options.namespace()).contains("shop");
        assertThat(options.image()).contains("svc-runtime:local");
        assertThat(options.java()).contains("/opt/jdk/bin/java");
        assertThat(options.runtime()).contains("/opt/svc/lib/*");
        assertThat(options.advertise()).contains("10.20.0.9");
        assertThat(options.hostNetwork()).contains(true);
        assertThat(options.pullPolicy()).contains("Never");
        assertThat(options.runAsUser()).isEqualTo(OptionalLong.of(1000));
        assertThat(options.networkPolicies()).contains(true);
        assertThat(options.nodeSelector()).isEqualTo(Map.of("disk", "ssd", "topology.kubernetes.io/zone", "eu-1"));
        assertThat(options.affinity()).hasValueSatisfying(a -> assertThat(a).contains("nodeAffinity"));
    }

    @Test
    void unsetOptionsComeFromTheDefaults() {
        KubernetesOptions completed = KubernetesSettings.complete(KubernetesOptions.DEFAULT);
        assertThat(completed.java()).contains("java");
        assertThat(completed.runtime()).contains("/opt/services-cluster/lib/*");
        assertThat(completed.runAsUser()).isEqualTo(OptionalLong.of(65534));
        assertThat(completed.hostNetwork()).contains(false);
        assertThat(completed.networkPolicies()).contains(false);
        assertThat(completed.pullPolicy()).contains("IfNotPresent");
        assertThat(completed.context()).isEqualTo(Optional.empty());
    }

    @Test
    void badValuesAreErrorsWithTheirLine() {
        assertThatThrownBy(() -> ClusterFileParser.parse("""
                name: bad
                services:
                  one:
                    code: { class: a.One }
                    container: kubernetes
                    kubernetes:
                      namespace: Shop_1
                      advertise: "10.0.0.1:9000"
                      pullPolicy: sometimes
                      runAsUser: 0
                      placement:
                        nodeSelector: { "bad key!": x }
                        affinity: "nodeAffinity: [1, 2"
                      replicas: 3
                """, Path.of("bad.yaml")))
                .isInstanceOf(ClusterFileException.class)
                .hasMessageContaining("bad.yaml:7").hasMessageContaining("a namespace name")
                .hasMessageContaining("bad.yaml:8").hasMessageContaining("an address of this machine")
                .hasMessageContaining("bad.yaml:9").hasMessageContaining("one of Always, IfNotPresent, Never")
                .hasMessageContaining("bad.yaml:10").hasMessageContaining("other than root")
                .hasMessageContaining("'bad key!' is not a node label name")
                .hasMessageContaining("bad.yaml:13").hasMessageContaining("not a pod affinity")
                .hasMessageContaining("bad.yaml:14").hasMessageContaining("unknown key 'replicas'");
    }
}
