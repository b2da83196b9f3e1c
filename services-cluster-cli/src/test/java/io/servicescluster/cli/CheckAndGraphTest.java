package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.cli.testservices.Greeter;
import io.servicescluster.cli.testservices.HelloMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code svc check} and {@code svc graph}, run in-process with their output captured (SPEC §5). */
class CheckAndGraphTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int svc(String... args) {
        return Svc.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static final String INVALID = """
            name: Bad_Name
            services:
              a:
                dependsOn: [nowhere]
                code: { class: x.A }
                colour: blue
              b:
                code: { class: x.B }
                startTimeout: soon
            """;

    @Test
    void checkOfAValidFilePrintsTheCountAndExitsZero() {
        Path file = TestFiles.webAndDb(dir);
        assertThat(svc("check", file.toString())).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("ok: 2 services" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void checkShowsAServiceThatOptsOutOfConfinement() {
        Path file = TestFiles.write(dir, "name: legacy\nservices:\n  old:\n    unconfined: true\n"
                + "    resources: { pids: 200 }\n" + TestFiles.code("Greeter") + "  boxed:\n" + TestFiles.code("Greeter"));
        assertThat(svc("check", file.toString())).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("ok: 2 services" + System.lineSeparator()
                + "  old: unconfined; pids: 200" + System.lineSeparator());
    }

    @Test
    void checkOfAnInvalidFilePrintsEveryErrorWithFileAndLineAndExitsTwo() {
        Path file = TestFiles.write(dir, INVALID);
        assertThat(svc("check", file.toString())).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        List<String> lines = err.toString().lines().toList();
        // each problem on its own line as FILE:LINE: key: message
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(file + ":1: name: ").contains("Bad_Name"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(file + ":4: services.a.dependsOn").contains("nowhere"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(file + ":6: services.a.colour"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(file + ":9: services.b.startTimeout").contains("soon"));
        long problems = lines.stream().filter(l -> l.startsWith(file + ":")).count();
        assertThat(lines.getLast()).isEqualTo(problems + " errors");
    }

    @Test
    void checkKnowsTheContainerKindsOnTheClassPathAndTheirOptions() {
        Path file = TestFiles.write(dir, """
                name: kinds
                services:
                  a:
                    code: { class: %1$s, classpath: ['%2$s'] }
                    container: dockr
                  b:
                    code: { class: %1$s, classpath: ['%2$s'] }
                    container: docker
                    docker: { java: bin/java }
                """.formatted(Greeter.class.getName(), TestFiles.testClasses()));
        assertThat(svc("check", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                file + ":5: services.a.container: unknown container 'dockr'; did you mean 'docker'? (expected one of:"
                        + " docker, kubernetes, process, swarm)",
                file + ":9: services.b.docker.java: the java launcher inside the image: an absolute path, or a"
                        + " command on the image's PATH",
                "2 errors");
    }

    @Test
    void checkReadsSpecSixsHostsAndPlacementAndNamesATlsFileThatIsMissing() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "");
        Path file = TestFiles.write(dir, """
                name: spread
                hosts:
                  swarm:
                    docker: tcp://10.20.0.1:2376
                    tls: { ca: ca.pem, cert: certs/cert.pem, key: certs/key.pem }
                    advertise: 10.20.0.9
                defaults: { container: swarm }
                services:
                  a:
                    code: { class: %1$s, classpath: ['%2$s'] }
                    placement: { node: node-1 }
                """.formatted(Greeter.class.getName(), TestFiles.testClasses()));
        assertThat(svc("check", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                file + ":5: hosts.swarm.tls.cert: no such file: " + dir.resolve("certs/cert.pem"),
                file + ":5: hosts.swarm.tls.key: no such file: " + dir.resolve("certs/key.pem"),
                "2 errors");
    }

    @Test
    void checkCompilesSourceServicesAndPrintsJavacsErrorsWithTheirLinesAndExitsTwo() throws Exception {
        Files.writeString(dir.resolve("Broken.java"), """
                import io.servicescluster.api.*;

                public class Broken implements Service {
                    public void start(ServiceContext context) {
                        undefinedCall();
                    }
                }
                """);
        Path file = TestFiles.write(dir, """
                name: shop
                services:
                  good:
                    code:
                      source: |
                        import io.servicescluster.api.*;
                        public class Good implements Service {
                            public void start(ServiceContext context) { }
                        }
                  inline:
                    code:
                      source: |
                        import io.servicescluster.api.*;
                        public class Inline implements Service {
                            public void start(ServiceContext context) {
                                int port = "not a number";
                            }
                        }
                  fromfile:
                    code: { file: Broken.java }
                """);
        assertThat(svc("check", file.toString())).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains(file + ":12: services.inline.code.source: compiling cluster.yaml"
                        + "[services.inline.code.source] failed: 1 error")
                .contains("cluster.yaml[services.inline.code.source]:4: error: incompatible types")
                .contains("        int port = \"not a number\";")
                .contains(file + ":20: services.fromfile.code.file: compiling Broken.java failed: 1 error")
                .contains("Broken.java:5: error: cannot find symbol")
                .endsWith("        undefinedCall();\n        ^\n2 errors\n")
                .doesNotContain("services.good");
    }

    @Test
    void checkNamesAMissingJarAMisspeltClassAndAClassThatIsNoServiceAndExitsTwo() {
        String classes = TestFiles.testClasses().toString();
        String greeter = Greeter.class.getName();
        Path file = TestFiles.write(dir, """
                name: shop
                services:
                  store:
                    code:
                      class: %1$s
                      classpath: ['%2$s', store/lib/h2.jar, lib/*]
                  typo:
                    code: { class: %3$s, classpath: ['%2$s'] }
                  plain:
                    code: { class: %4$s, classpath: ['%2$s'] }
                """.formatted(greeter, classes, greeter.replace("Greeter", "Greter"), TestFiles.class.getName()));
        assertThat(svc("check", file.toString())).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines().toList()).containsExactly(
                file + ":6: services.store.code.classpath[1]: 'store/lib/h2.jar' does not exist ("
                        + dir.resolve("store/lib/h2.jar") + ")",
                file + ":6: services.store.code.classpath[2]: 'lib/*' names a folder that does not exist ("
                        + dir.resolve("lib/*") + ")",
                file + ":8: services.typo.code.class: class " + greeter.replace("Greeter", "Greter")
                        + " is not on the classpath; did you mean '" + greeter + "'?",
                file + ":10: services.plain.code.class: class " + TestFiles.class.getName()
                        + " does not implement io.servicescluster.api.Service",
                "4 errors");
    }

    @Test
    void checkRefusesAMainWithoutMainAJarWithoutMainClassAndAReservedVariable() throws Exception {
        String classes = TestFiles.testClasses().toString();
        Path jar = dir.resolve("lib.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        Path file = TestFiles.write(dir, """
                name: shop
                services:
                  web:
                    code: { main: %1$s, classpath: ['%2$s'] }
                  db:
                    code: { jar: lib.jar }
                    env: { SVC_TOKEN: x }
                  ok:
                    code: { main: %3$s, classpath: ['%2$s'], args: [--port, 8080] }
                """.formatted(Greeter.class.getName(), classes, HelloMain.class.getName()));
        assertThat(svc("check", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                file + ":4: services.web.code.main: class " + Greeter.class.getName()
                        + " has no public static void main(String[])",
                file + ":6: services.db.code.jar: the jar " + jar + " names no Main-Class in its manifest: name the"
                        + " class with 'main' (and the jar in 'classpath')",
                file + ":7: services.db.env.SVC_TOKEN: 'SVC_TOKEN': names starting with SVC_ are reserved for the"
                        + " runtime",
                "3 errors");
    }

    @Test
    void runRefusesAMissingClasspathEntryBeforeStartingAnything() {
        Path file = TestFiles.write(dir, "name: shop\nservices:\n  store:\n    code:\n      class: x.Store\n"
                + "      classpath: [lib/*]\n");
        assertThat(svc("run", file.toString(), "--for", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains(file + ":6: services.store.code.classpath[0]: 'lib/*' names a folder "
                + "that does not exist");
        assertThat(out.toString()).doesNotContain("starting");
    }

    /** It printed only "svc run: PATH", the file system's own message. */
    @Test
    void runSaysWhyTheEventLogCannotBeWrittenAndStartsNothing() throws Exception {
        Path file = TestFiles.write(dir, "name: shop\nservices:\n  store:\n" + TestFiles.code("Greeter"));
        Path folder = java.nio.file.Files.createDirectories(dir.resolve("events"));
        assertThat(svc("run", file.toString(), "--events", folder.toString(), "--for", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("svc run: cannot write the event log " + folder + ": " + folder
                + ": Is a directory");
        assertThat(out.toString()).doesNotContain("starting");
    }

    @Test
    void runRefusesAnEventLogThatWouldOverwriteTheClusterFile() throws Exception {
        Path file = TestFiles.write(dir, "name: shop\nservices:\n  store:\n" + TestFiles.code("Greeter"));
        String text = java.nio.file.Files.readString(file);
        assertThat(svc("run", file.toString(), "--events", dir.resolve(".").resolve(file.getFileName()).toString(),
                "--for", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("is the cluster file: the event log would overwrite it");
        assertThat(file).hasContent(text);
    }

    @Test
    void checkOfAMissingFileExitsTwo() {
        assertThat(svc("check", dir.resolve("absent.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("absent.yaml").contains("no such file");
    }

    @Test
    void graphPrintsDotWithEveryEdge() {
        Path file = TestFiles.write(dir, "name: diamond\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "  orders:\n    dependsOn: [db]\n" + TestFiles.code("Greeter")
                + "  stock:\n    dependsOn: [db]\n" + TestFiles.code("Greeter")
                + "  api:\n    dependsOn: [orders, stock]\n" + TestFiles.code("Greeter"));
        assertThat(svc("graph", file.toString())).isEqualTo(0);
        String dot = out.toString();
        assertThat(dot).startsWith("digraph \"diamond\" {").endsWith("}\n");
        assertThat(dot).contains("\"db\";", "\"orders\";", "\"stock\";", "\"api\";");
        assertThat(dot.lines().filter(l -> l.contains("->")).map(String::trim).toList()).containsExactlyInAnyOrder(
                "\"orders\" -> \"db\";", "\"stock\" -> \"db\";", "\"api\" -> \"orders\";", "\"api\" -> \"stock\";");
    }

    @Test
    void graphOfAnInvalidFileExitsTwo() {
        Path file = TestFiles.write(dir, INVALID);
        assertThat(svc("graph", file.toString())).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains(file + ":1: name: ");
    }

    @Test
    void unknownCommandAndMissingArgumentsAreUsageErrors() {
        assertThat(svc("frobnicate")).isEqualTo(2);
        assertThat(svc("check")).isEqualTo(2);
        assertThat(svc()).isEqualTo(2);
        assertThat(svc("run", "x.yaml", "--for", "soon")).isEqualTo(2);
    }
}
