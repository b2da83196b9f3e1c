package io.servicescluster.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.servicescluster.clusterfile.ClusterFileException;
import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.clusterfile.ClusterFileParser.CodeChecks;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.Idle;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code classpath} wildcards and checks, and {@code jvm.options} with the heap bound (issue 11 items 3 and 6). */
class ClassPathAndJvmOptionsTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("cluster.yaml");
    }

    private List<String> problems(String yaml, CodeChecks checks) {
        var exception = catchThrowableOfType(ClusterFileException.class,
                () -> ClusterFileParser.parse(yaml, file(), checks));
        assertThat(exception).as("a ClusterFileException").isNotNull();
        return exception.problems().stream().map(Problem::toString).toList();
    }

    // ---- jvm.options --------------------------------------------------------------------

    @Test
    void jvmOptionsOfDefaultsComeFirstThenTheServicesOwn() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: shop
                defaults:
                  jvm: { options: [-XX:+UseZGC, -Dlevel=default] }
                services:
                  a:
                    code: { class: x.A }
                    jvm: { options: [-Dlevel=own] }
                  b: { code: { class: x.B } }
                """, file());
        assertThat(cluster.service("a").orElseThrow().jvm().options())
                .containsExactly("-XX:+UseZGC", "-Dlevel=default", "-Dlevel=own");
        assertThat(cluster.service("b").orElseThrow().jvm().options()).containsExactly("-XX:+UseZGC", "-Dlevel=default");
    }

    @Test
    void jvmOptionsThatAreNotOptionsOrBreakTheRuntimeAreRefusedWithTheirLine() {
        assertThat(problems("""
                name: shop
                defaults:
                  jvm: { option: [-Xss1m] }
                services:
                  a:
                    code: { class: x.A }
                    jvm:
                      options:
                        - Xmx1g
                        - -cp
                        - -XX:AOTCache=mine.aot
                        - -XX:SharedArchiveFile=mine.jsa
                        - -jar
                  b:
                    code: { class: x.B }
                    jvm: { options: -XX:+UseZGC }
                """, CodeChecks.NONE)).containsExactly(
                "%s:3: defaults.jvm.option: unknown key 'option'; did you mean 'options'? (expected one of: options)"
                        .formatted(file()),
                "%s:9: services.a.jvm.options[0]: 'Xmx1g' is not an option: a JVM option starts with '-', such as "
                        .formatted(file()) + "-XX:+UseZGC or -Dkey=value",
                "%s:10: services.a.jvm.options[1]: '-cp' cannot be set here: the runtime sets the class path and the "
                        .formatted(file()) + "main class itself; put the service's jars and folders in code.classpath",
                "%s:11: services.a.jvm.options[2]: '-XX:AOTCache=mine.aot' cannot be set here: the runtime chooses "
                        .formatted(file()) + "the class-data (AOT/CDS) files itself (docs/performance.md)",
                "%s:12: services.a.jvm.options[3]: '-XX:SharedArchiveFile=mine.jsa' cannot be set here: the runtime "
                        .formatted(file()) + "chooses the class-data (AOT/CDS) files itself (docs/performance.md)",
                "%s:13: services.a.jvm.options[4]: '-jar' cannot be set here: the runtime sets the class path and the "
                        .formatted(file()) + "main class itself; put the service's jars and folders in code.classpath",
                "%s:16: services.b.jvm.options: expected a list, got a string ('-XX:+UseZGC'): write [-XX:+UseZGC]".formatted(file()));
    }

    @Test
    void aHeapAboveTheMemoryLimitIsAnErrorAndOneBelowItIsKept() throws Exception {
        assertThat(problems("""
                name: shop
                defaults:
                  resources: { memory: 512m }
                services:
                  a:
                    code: { class: x.A }
                    jvm: { options: [-Xmx1g] }
                  b:
                    code: { class: x.B }
                    jvm: { options: ["-XX:MaxHeapSize=600m"] }
                """, CodeChecks.NONE)).containsExactly(
                "%s:7: services.a.jvm.options[0]: '-Xmx1g' is more than the memory limit (resources.memory: 512m): "
                        .formatted(file()) + "the service would be killed before its heap is full; lower it, or raise "
                        + "the limit (without -Xmx the heap is 75% of the limit)",
                "%s:10: services.b.jvm.options[0]: '-XX:MaxHeapSize=600m' is more than the memory limit ".formatted(file())
                        + "(resources.memory: 512m): the service would be killed before its heap is full; lower it, or "
                        + "raise the limit (without -Xmx the heap is 75% of the limit)");
        ServiceSpec a = ClusterFileParser.parse("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    resources: { memory: 512m }
                    jvm: { options: [-Xmx400m] }
                """, file()).service("a").orElseThrow();
        assertThat(a.jvm().forService(a.resources())).containsExactly("-Xmx400m");
    }

    @Test
    void theHeapBoundIsTheDefaultOrAShareOfTheLimitUnlessTheOptionsBoundIt() {
        Resources none = Resources.UNLIMITED;
        Resources limited = new Resources(OptionalLong.of(128L << 20), OptionalDouble.of(1.5));
        assertThat(JvmOptions.NONE.forService(none)).containsExactly("-Xmx256m");
        assertThat(JvmOptions.NONE.forService(limited)).containsExactly("-Xmx96m", "-XX:ActiveProcessorCount=2");
        assertThat(new JvmOptions(List.of("-XX:+UseZGC")).forService(none)).containsExactly("-Xmx256m", "-XX:+UseZGC");
        assertThat(new JvmOptions(List.of("-Xmx2g")).forService(none)).containsExactly("-Xmx2g");
        assertThat(new JvmOptions(List.of("-XX:MaxRAMPercentage=50")).forService(limited))
                .containsExactly("-XX:ActiveProcessorCount=2", "-XX:MaxRAMPercentage=50");
        // an initial heap above the bound would keep the JVM from starting
        assertThat(new JvmOptions(List.of("-Xms512m")).forService(none)).containsExactly("-Xmx512m", "-Xms512m");
    }

    // ---- classpath ----------------------------------------------------------------------

    @Test
    void aWildcardIsEveryJarDirectlyInTheFolderSortedByName() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (String name : List.of("b.jar", "a.JAR", "c.jar.txt", "nested/d.jar", "classes/e.class")) {
            Files.createDirectories(lib.resolve(name).getParent());
            Files.writeString(lib.resolve(name), "");
        }
        Path other = dir.resolve("other.jar");
        assertThat(ClassPath.expand(List.of(other.getParent().resolve("lib/*"), lib.resolve("nested"))))
                .containsExactly(lib.resolve("a.JAR"), lib.resolve("b.jar"), lib.resolve("nested"));
        var missing = catchThrowableOfType(FileNotFoundException.class, () -> ClassPath.expand(List.of(other)));
        assertThat(missing).hasMessage("classpath entry " + other + " does not exist");
    }

    @Test
    void aWildcardIsOnlyAWholeLastSegmentAndStaysInTheSpec() throws Exception {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code:
                      class: x.A
                      classpath: [lib/*.jar, "*/classes"]
                """, CodeChecks.NONE)).containsExactly(
                file() + ":6: services.a.code.classpath[0]: 'lib/*.jar': a wildcard is a whole last segment, "
                        + "'folder/*' (every jar in the folder, as with java -cp)",
                file() + ":6: services.a.code.classpath[1]: '*/classes': a wildcard is a whole last segment, "
                        + "'folder/*' (every jar in the folder, as with java -cp)");
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: shop
                services:
                  a: { code: { class: x.A, classpath: [lib/*, "*"] } }
                """, file());
        assertThat(((CodeSpec.ClassCode) cluster.service("a").orElseThrow().code()).classpath())
                .containsExactly(dir.resolve("lib/*"), dir.resolve("*"));
    }

    @Test
    void missingEntriesAreReportedWhenChecksAskAndOnlyThen() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.createDirectories(dir.resolve("store/classes"));
        String yaml = """
                name: shop
                services:
                  store:
                    code:
                      class: x.Store
                      classpath:
                        - store/classes
                        - store/lib/h2.jar
                        - lib/*
                        - empty/*
                """;
        assertThat(ClusterFileParser.parse(yaml, file())).isNotNull();
        assertThat(problems(yaml, CodeChecks.ENTRIES)).containsExactly(
                file() + ":8: services.store.code.classpath[1]: 'store/lib/h2.jar' does not exist ("
                        + dir.resolve("store/lib/h2.jar") + ")",
                file() + ":9: services.store.code.classpath[2]: 'lib/*' names a folder that does not exist ("
                        + dir.resolve("lib/*") + ")",
                file() + ":10: services.store.code.classpath[3]: 'empty/*' matches no jar: " + dir.resolve("empty")
                        + " has no .jar file (" + dir.resolve("empty/*") + ")");
    }

    @Test
    void classesAreCheckedOnTheirClasspath() throws Exception {
        String classes = TestClusters.testClasses().toString();
        String yaml = """
                name: shop
                services:
                  ok: { code: { class: %1$s, classpath: ['%2$s'] } }
                  typo: { code: { class: io.servicescluster.testing.services.Idel, classpath: ['%2$s'] } }
                  moved: { code: { class: com.example.Idle, classpath: ['%2$s'] } }
                  helper: { code: { class: io.servicescluster.testing.TestClusters, classpath: ['%2$s'] } }
                  nowhere: { code: { class: x.Y } }
                """.formatted(Idle.class.getName(), classes);
        assertThat(ClusterFileParser.parse(yaml, file(), CodeChecks.ENTRIES)).isNotNull();
        assertThat(problems(yaml, CodeChecks.CLASSES)).containsExactly(
                file() + ":4: services.typo.code.class: class io.servicescluster.testing.services.Idel is not on the "
                        + "classpath; did you mean 'io.servicescluster.testing.services.Idle'?",
                file() + ":5: services.moved.code.class: class com.example.Idle is not on the classpath; did you mean "
                        + "'io.servicescluster.testing.services.Idle'?",
                file() + ":6: services.helper.code.class: class io.servicescluster.testing.TestClusters does not "
                        + "implement io.servicescluster.api.Service",
                file() + ":7: services.nowhere.code.class: class x.Y is not on the classpath");
    }
}
