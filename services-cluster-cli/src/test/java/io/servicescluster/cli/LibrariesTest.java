package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Libraries of a service (SPEC §4): {@code classpath} with source code, and {@code maven:}
 * coordinates resolved with their dependencies by Maven Resolver — here from a repository in a
 * folder (no network), into a local repository of the test's own, with real service JVMs.
 */
class LibrariesTest {

    private static final String WORDS = "package org.example.words;\n"
            + "public final class Words { public static String greet(String name) { return \"hello, \" + name; } }\n";
    private static final String HELLO = "package org.example.hello;\n"
            + "import io.servicescluster.api.*;\n"
            + "public final class HelloService implements Service {\n"
            + "  public void start(ServiceContext context) { System.out.println(org.example.words.Words.greet(context.name())); }\n"
            + "}\n";
    /** A source service that needs the class Words from a library. */
    private static final String GREETER_SOURCE = "        import io.servicescluster.api.*;\n"
            + "        import org.example.words.Words;\n"
            + "        public class Greeter implements Service {\n"
            + "          public void start(ServiceContext context) { System.out.println(Words.greet(context.name())); }\n"
            + "        }\n";

    @TempDir
    Path dir;
    private MavenRepository remote;

    @BeforeEach
    void repositories() throws Exception {
        SvcRun.isolate(dir);
        remote = new MavenRepository(dir.resolve("remote"), Files.createDirectories(dir.resolve("build")));
        System.setProperty("maven.repo.local", dir.resolve("m2").toString());
        System.setProperty("services-cluster.maven.repositories", remote.url());
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty("maven.repo.local");
        System.clearProperty("services-cluster.maven.repositories");
    }

    @Test
    void aSourceServiceImportsAClassOfAJarOnItsClasspath() throws Exception {
        MavenRepository.jar(dir.resolve("lib/words.jar"), dir, List.of(), "org.example.words.Words", WORDS);
        Path file = TestFiles.write(dir, "name: sourced\nservices:\n  greeter:\n    code:\n"
                + "      classpath: [lib/words.jar]\n      source: |\n" + GREETER_SOURCE);

        try (SvcRun run = SvcRun.start(dir, file.toString())) {
            run.awaitLine("greeter | hello, greeter");
        }
    }

    @Test
    void servicesRunCodeFromMavenCoordinatesWithTheirDependencies() throws Exception {
        remote.deploy("words", List.of(), "org.example.words.Words", WORDS);
        remote.deploy("hello-service", List.of("words"), "org.example.hello.HelloService", HELLO);
        Path file = TestFiles.write(dir, "name: from-maven\nservices:\n"
                + "  hello:\n    code:\n      class: org.example.hello.HelloService\n"
                + "      maven: ['" + MavenRepository.GROUP + ":hello-service:1.0']\n"
                + "  greeter:\n    code:\n      maven: ['" + MavenRepository.GROUP + ":words:1.0']\n      source: |\n"
                + GREETER_SOURCE);

        Result check = Result.of("check", file.toString());
        assertThat(check.status()).as(check.err()).isZero();
        ClusterSpec spec = ClusterFileParser.parse(file, ClusterFileParser.CodeChecks.ENTRIES);
        // the artifact and its dependency, downloaded into the local repository: the cache of later runs
        assertThat(spec.service("hello").orElseThrow().code().classpath()).extracting(p -> p.getFileName().toString())
                .containsExactly("hello-service-1.0.jar", "words-1.0.jar");
        assertThat(spec.service("hello").orElseThrow().code().classpath()).allMatch(p -> p.startsWith(dir.resolve("m2")));

        List<String> output = new CopyOnWriteArrayList<>();
        try (ServicesManager manager = ServicesManager.builder(spec).listener(new ClusterListener() {
            @Override
            public void onOutput(String service, OutputStream stream, String line) {
                output.add(service + ": " + line);
            }
        }).build()) {
            manager.start();
            manager.awaitRunning(SvcRun.WAIT);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(output)
                    .contains("hello: hello, hello", "greeter: hello, greeter"));
        }
    }

    @Test
    void svcCheckNamesACoordinateThatCannotBeResolved() {
        Path file = TestFiles.write(dir, "name: missing\nservices:\n  a:\n    code:\n"
                + "      source: 'public class A {}'\n"
                + "      maven: [" + MavenRepository.GROUP + ":nowhere:1.0]\n");

        Result check = Result.of("check", file.toString());

        assertThat(check.status()).isEqualTo(Svc.INVALID);
        assertThat(check.err()).contains(file + ":6: services.a.code.maven[0]: '" + MavenRepository.GROUP
                + ":nowhere:1.0' cannot be resolved: ").contains("nowhere").contains("1 error");
        Result run = Result.of("run", file.toString());
        assertThat(run.status()).isEqualTo(Svc.INVALID);
        assertThat(run.err()).contains("services.a.code.maven[0]");
    }
}
