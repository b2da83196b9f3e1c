package io.servicescluster.clusterfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Problem;
import io.servicescluster.core.config.ServiceNames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One malformed cluster file per test; each asserts the file, line, key and message of the problems. */
class ClusterFileProblemsTest {

    private static final Path FILE = Path.of("cluster.yaml");

    private static List<String> problems(String yaml) {
        return problems(yaml, FILE);
    }

    private static List<String> problems(String yaml, Path file) {
        var exception = catchThrowableOfType(ClusterFileException.class, () -> ClusterFileParser.parse(yaml, file));
        assertThat(exception).as("a ClusterFileException").isNotNull();
        assertThat(exception.getMessage()).isEqualTo(String.join("\n",
                exception.problems().stream().map(Problem::toString).toList()));
        return exception.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void badClusterName() {
        assertThat(problems("""
                name: Shop_1
                services:
                  a: { code: { class: x.A } }
                """)).containsExactly("cluster.yaml:1: name: invalid name 'Shop_1': " + ServiceNames.RULE);
    }

    @Test
    void badServiceName() {
        assertThat(problems("""
                name: shop
                services:
                  a: { code: { class: x.A } }
                  Orders-: { code: { class: x.B } }
                """)).containsExactly("cluster.yaml:4: services.Orders-: invalid name 'Orders-': " + ServiceNames.RULE);
    }

    @Test
    void poolOutOfRangeOrInAService() {
        assertThat(problems("""
                name: shop
                defaults: { pool: 65 }
                services:
                  a: { code: { class: x.A }, pool: 1 }
                """)).containsExactly(
                "cluster.yaml:2: defaults.pool: pool must be 0 (no spares) to 64: each spare is a JVM kept ready for "
                        + "a restart",
                "cluster.yaml:4: services.a.pool: 'pool' belongs in defaults: it is how many spare remotes the whole "
                        + "cluster keeps ready for restarts");
        assertThat(problems("""
                name: shop
                defaults: { pool: -1 }
                services:
                  a: { code: { class: x.A } }
                """)).hasSize(1).first().asString().contains("defaults.pool: pool must be 0 (no spares) to 64");
    }

    /** Durations that overflowed the manager's timers once read: a start timeout broke its decision loop. */
    @Test
    void durationsTooLarge() {
        assertThat(problems("""
                name: shop
                defaults: { closeTimeout: 9999999999s }
                services:
                  a:
                    code: { class: x.A }
                    startTimeout: 99999999999999h
                    restart: { policy: always, backoff: 3000000h }
                """)).containsExactly(
                "cluster.yaml:2: defaults.closeTimeout: invalid duration '9999999999s': too large (at most 2562047h)",
                "cluster.yaml:6: services.a.startTimeout: invalid duration '99999999999999h': too large (at most 2562047h)",
                "cluster.yaml:7: services.a.restart.backoff: invalid duration '3000000h': too large (at most 2562047h)");
    }

    @Test
    void duplicateKey() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    container: process
                    container: docker
                """)).containsExactly("cluster.yaml:6: services.a.container: duplicate key (first at line 5)");
    }

    @Test
    void duplicateService() {
        assertThat(problems("""
                name: shop
                services:
                  a: { code: { class: x.A } }
                  a: { code: { class: x.B } }
                """)).containsExactly("cluster.yaml:4: services.a: duplicate key (first at line 3)");
    }

    @Test
    void cycle() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    dependsOn: [b]
                  b:
                    code: { class: x.B }
                    dependsOn:
                      - a
                """)).containsExactly("cluster.yaml:5: services.a.dependsOn: dependency cycle: a -> b -> a");
    }

    @Test
    void unknownDependency() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    dependsOn:
                      - b
                      - stroe
                  b: { code: { class: x.B } }
                """)).containsExactly(
                        "cluster.yaml:7: services.a.dependsOn: service 'a' depends on unknown service 'stroe'");
    }

    @Test
    void selfDependency() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    dependsOn: [a]
                """)).containsExactly("cluster.yaml:5: services.a.dependsOn: service 'a' depends on itself: a -> a");
    }

    @Test
    void repeatedDependency() {
        assertThat(problems("""
                name: shop
                services:
                  a: { code: { class: x.A } }
                  b:
                    code: { class: x.B }
                    dependsOn:
                      - a
                      - a
                """)).containsExactly(
                        "cluster.yaml:8: services.b.dependsOn: service 'b' lists dependency 'a' more than once");
    }

    @Test
    void unknownTopLevelKey() {
        assertThat(problems("""
                name: shop
                service:
                  a: { code: { class: x.A } }
                """)).containsExactly(
                        "cluster.yaml:1: services: missing required key: a map of service names to services",
                        "cluster.yaml:2: service: unknown key 'service'; did you mean 'services'?"
                                + " (expected one of: name, hosts, defaults, services)");
    }

    @Test
    void unknownServiceKey() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    dependson: [b]
                  b: { code: { class: x.B } }
                """)).containsExactly("cluster.yaml:5: services.a.dependson: unknown key 'dependson'; did you mean"
                        + " 'dependsOn'? (expected one of: code, dependsOn, settings, container, permissions, resources,"
                        + " restart, startTimeout, closeTimeout, jvm, health, env, unconfined, placement, box)");
    }

    @Test
    void unknownNestedKey() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    permissions:
                      files:
                        read: [data]
                        execute: [bin]
                """)).containsExactly("cluster.yaml:8: services.a.permissions.files.execute: unknown key 'execute'"
                        + " (expected one of: read, write)");
    }

    @Test
    void codeAndDependsOnAreNotAllowedInDefaults() {
        assertThat(problems("""
                name: shop
                defaults:
                  code: { class: x.A }
                  dependsOn: [a]
                services:
                  a: { code: { class: x.A } }
                """)).containsExactly(
                        "cluster.yaml:3: defaults.code: 'code' cannot be in defaults: each service declares its own",
                        "cluster.yaml:4: defaults.dependsOn: 'dependsOn' cannot be in defaults:"
                                + " each service declares its own");
    }

    @Test
    void badDuration() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    restart:
                      policy: on-failure
                      within: 60
                """)).containsExactly("cluster.yaml:7: services.a.restart.within: invalid duration '60':"
                        + " write a whole number and a unit, such as 250ms, 30s, 5m or 2h");
    }

    @Test
    void zeroTimeout() {
        assertThat(problems("""
                name: shop
                defaults: { startTimeout: 0s }
                services:
                  a: { code: { class: x.A } }
                """)).containsExactly("cluster.yaml:2: defaults.startTimeout: must be more than 0");
    }

    @Test
    void badSize() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    resources: { memory: 256mb, cpus: 0 }
                """)).containsExactly(
                        "cluster.yaml:5: services.a.resources.memory: invalid size '256mb': write a whole number"
                                + " and a unit, such as 512k, 64m or 1g",
                        "cluster.yaml:5: services.a.resources.cpus: must be more than 0, such as 0.5 or 2");
    }

    /** A JVM cannot start in less: 1k, 8m and 16m were read, and the start failed with "killed by signal 9 before saying hello". */
    @Test
    void memoryTooSmallForAJvm() {
        assertThat(problems("""
                name: shop
                defaults: { resources: { memory: 1k } }
                services:
                  a:
                    code: { class: x.A }
                    resources: { memory: 31m }
                  b:
                    code: { class: x.A }
                    resources: { memory: 32m }
                """)).containsExactly(
                        "cluster.yaml:2: defaults.resources.memory: must be 32m or more: a JVM needs about 24m before "
                                + "the service's code runs",
                        "cluster.yaml:6: services.a.resources.memory: must be 32m or more: a JVM needs about 24m before "
                                + "the service's code runs");
    }

    @Test
    void noCode() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    container: process
                """)).containsExactly(
                        "cluster.yaml:3: services.a.code: missing required key: a service needs code:"
                                + " 'class', 'source' or 'file'");
    }

    @Test
    void emptyCode() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: {}
                """)).containsExactly("cluster.yaml:4: services.a.code: no code:"
                        + " give one of 'class' (with 'classpath'), 'source', 'file', 'main' or 'jar'");
    }

    @Test
    void twoKindsOfCode() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code:
                      class: x.A
                      source: "class A {}"
                """)).containsExactly("cluster.yaml:6: services.a.code.source: more than one kind of code"
                        + " (class, source): give exactly one of 'class', 'source', 'file', 'main' or 'jar'");
    }

    @Test
    void classpathGoesWithSourceToo() throws Exception {
        ClusterSpec spec = ClusterFileParser.parse("""
                name: shop
                services:
                  a:
                    code:
                      source: "public class A {}"
                      classpath: [lib/words.jar]
                """, Path.of("/srv/shop/cluster.yaml"));
        assertThat(spec.services().getFirst().code().classpath()).containsExactly(Path.of("/srv/shop/lib/words.jar"));
    }

    @Test
    void mavenCoordinatesOfTheWrongForm() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code:
                      source: "public class A {}"
                      maven: [com.h2database:h2:2.3.232, h2, "a:b", "a b:c:1"]
                """)).containsExactly(
                        "cluster.yaml:6: services.a.code.maven[1]: 'h2' is not Maven coordinates: groupId:artifactId:version"
                                + " (or groupId:artifactId:extension[:classifier]:version), e.g. com.h2database:h2:2.3.232",
                        "cluster.yaml:6: services.a.code.maven[2]: 'a:b' is not Maven coordinates: groupId:artifactId:version"
                                + " (or groupId:artifactId:extension[:classifier]:version), e.g. com.h2database:h2:2.3.232",
                        "cluster.yaml:6: services.a.code.maven[3]: 'a b:c:1' is not Maven coordinates: groupId:artifactId:version"
                                + " (or groupId:artifactId:extension[:classifier]:version), e.g. com.h2database:h2:2.3.232");
    }

    @Test
    void mainTogetherWithClass() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code:
                      class: x.A
                      main: x.App
                """)).containsExactly("cluster.yaml:6: services.a.code.main: more than one kind of code"
                        + " (class, main): give exactly one of 'class', 'source', 'file', 'main' or 'jar'");
    }

    @Test
    void argsWithoutMainAndABadMainOrJar() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A, args: [--port] }
                  b:
                    code: { main: "x.9App", args: [a, { b: c }] }
                  c:
                    code: { jar: "lib/*" }
                """)).containsExactly(
                        "cluster.yaml:4: services.a.code.args: 'args' goes with 'main' or 'jar': the arguments of an"
                                + " application's main",
                        "cluster.yaml:6: services.b.code.main: 'x.9App' is not a Java class name such as"
                                + " com.example.Store",
                        "cluster.yaml:6: services.b.code.args[1]: an argument is a single value, not a map",
                        "cluster.yaml:8: services.c.code.jar: 'lib/*': 'jar' is one jar (put more in 'classpath')");
    }

    @Test
    void badEnvironmentVariables() {
        assertThat(problems("""
                name: shop
                defaults:
                  env: { SVC_CONTROL: x }
                services:
                  a:
                    code: { class: x.A }
                    env:
                      LOG_LEVEL: debug
                      9LIVES: x
                      has-dash: x
                      EMPTY:
                      LIST: [a]
                """)).containsExactly(
                        "cluster.yaml:3: defaults.env.SVC_CONTROL: 'SVC_CONTROL': names starting with SVC_ are"
                                + " reserved for the runtime",
                        "cluster.yaml:9: services.a.env.9LIVES: '9LIVES' is not a variable name: letters, digits and"
                                + " '_', not starting with a digit",
                        "cluster.yaml:10: services.a.env.has-dash: 'has-dash' is not a variable name: letters, digits"
                                + " and '_', not starting with a digit",
                        "cluster.yaml:11: services.a.env.EMPTY: a variable needs a value (write \"\" for an empty"
                                + " string)",
                        "cluster.yaml:12: services.a.env.LIST: a variable is a single value, not a list: write it as"
                                + " a string");
    }

    @Test
    void badClassName() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: "com.example.9Store" }
                """)).containsExactly("cluster.yaml:4: services.a.code.class:"
                        + " 'com.example.9Store' is not a Java class name such as com.example.Store");
    }

    @Test
    void missingSourceFile(@TempDir Path dir) {
        Path file = dir.resolve("cluster.yaml");
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { file: src/Missing.java }
                """, file)).containsExactly(file + ":4: services.a.code.file: cannot read '"
                        + dir.resolve("src/Missing.java") + "': no such file");
    }

    @Test
    void sourceFileThatIsNotJava() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { file: Orders.kt }
                """)).containsExactly("cluster.yaml:4: services.a.code.file: 'Orders.kt' is not a .java file");
    }

    @Test
    void badRestartPolicy() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    restart: { policy: sometimes, maxRestarts: -1 }
                """)).containsExactly(
                        "cluster.yaml:5: services.a.restart.policy: unknown policy 'sometimes'"
                                + " (expected one of: never, on-failure, always)",
                        "cluster.yaml:5: services.a.restart.maxRestarts: must be 0 or more");
    }

    @Test
    void restartWithoutPolicy() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    restart:
                      maxRestarts: 3
                """)).containsExactly(
                        "cluster.yaml:5: services.a.restart.policy: missing required key: one of never, on-failure, always");
    }

    @Test
    void badContainer() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                    container: vm
                """)).containsExactly("cluster.yaml:5: services.a.container: unknown container 'vm'"
                        + " (expected one of: boxed, process)");
    }

    @Test
    void wrongTypes() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                  b:
                    code: [x.B]
                    dependsOn: a
                    permissions: { network: "no", spawn: 1 }
                    settings:
                      nested: { x: 1 }
                      none:
                """)).containsExactly(
                        "cluster.yaml:6: services.b.code: expected a map, got a list",
                        "cluster.yaml:7: services.b.dependsOn: expected a list, got a string ('a'): write [a]",
                        "cluster.yaml:8: services.b.permissions.network: expected true or false, got a string ('no')",
                        "cluster.yaml:8: services.b.permissions.spawn: expected true or false, got a number (1)",
                        "cluster.yaml:10: services.b.settings.nested: a setting is a single value, not a map:"
                                + " write it as a string",
                        "cluster.yaml:11: services.b.settings.none: a setting needs a value"
                                + " (write \"\" for an empty string)");
    }

    @Test
    void yamlSyntaxError() {
        assertThat(problems("""
                name: shop
                services:
                  a: b: c
                """)).containsExactly(
                        "cluster.yaml:3: services.a: YAML syntax error: mapping values are not allowed here");
    }

    @Test
    void yamlSyntaxErrorOnALineOfItsOwn() {
        List<String> problems = problems("""
                name: shop
                services:
                  a:
                    code: { class: x.A }
                   bad: 1
                """);
        assertThat(problems).singleElement().asString().startsWith("cluster.yaml:5: services: YAML syntax error: ");
    }

    @Test
    void unterminatedQuote() {
        assertThat(problems("""
                name: shop
                services:
                  a:
                    code: { class: "x.A }
                """)).singleElement().asString()
                .startsWith("cluster.yaml:4: services.a.code.class: YAML syntax error: while scanning a quoted scalar");
    }

    @Test
    void tabIndentation() {
        assertThat(problems("name: shop\nservices:\n  a:\n    code: { class: x.A }\n\tdependsOn: [b]\n"))
                .singleElement().asString()
                .startsWith("cluster.yaml:5: services.a")   // the key is SnakeYAML's look-ahead: best effort
                .contains("YAML syntax error: while scanning for the next token;"
                        + " found character '\\t(TAB)' that cannot start any token");
    }

    @Test
    void yamlAlias() {
        assertThat(problems("""
                name: &n shop
                services:
                  a:
                    code: { class: x.A }
                    settings: { cluster: *n }
                """)).containsExactly("cluster.yaml:5: services.a.settings.cluster: YAML aliases (*n)"
                        + " are not supported: write the value out");
    }

    @Test
    void emptyFile() {
        assertThat(problems("")).containsExactly(
                "cluster.yaml:1: the file is empty: expected a map with 'name' and 'services'");
        assertThat(problems("# nothing but a comment\n")).containsExactly(
                "cluster.yaml:1: the file is empty: expected a map with 'name' and 'services'");
    }

    @Test
    void notAMap() {
        assertThat(problems("- name: shop\n")).containsExactly(
                "cluster.yaml:1: expected a map with 'name' and 'services', got a list");
    }

    @Test
    void twoDocuments() {
        assertThat(problems("""
                name: shop
                services:
                  a: { code: { class: x.A } }
                ---
                name: other
                """)).containsExactly("cluster.yaml:5: more than one YAML document: a cluster file holds one");
    }

    @Test
    void noServices() {
        assertThat(problems("""
                name: shop
                services: {}
                """)).containsExactly("cluster.yaml:2: services: no services: declare at least one");
        assertThat(problems("""
                name: shop
                """)).containsExactly(
                        "cluster.yaml:1: services: missing required key: a map of service names to services");
        assertThat(problems("""
                name: shop
                services:
                """)).containsExactly("cluster.yaml:2: services: expected a map, got an empty value");
    }

    @Test
    void reportsEveryProblemOfAFileInLineOrder() {
        assertThat(problems("""
                name: My Shop
                defaults:
                  startTimeout: soon
                services:
                  store:
                    code: { class: x.Store }
                    dependsOn: [orders]
                    resources: { memory: lots }
                  orders:
                    code: { class: x.Orders, source: "class O {}" }
                    dependsOn: [store, ghost]
                    restart: { policy: on-failure, backoff: 1 }
                    colour: blue
                  Bad:
                    container: process
                """)).containsExactly(
                        "cluster.yaml:1: name: invalid name 'My Shop': " + ServiceNames.RULE,
                        "cluster.yaml:3: defaults.startTimeout: invalid duration 'soon': write a whole number and"
                                + " a unit, such as 250ms, 30s, 5m or 2h",
                        "cluster.yaml:7: services.store.dependsOn: dependency cycle: store -> orders -> store",
                        "cluster.yaml:8: services.store.resources.memory: invalid size 'lots': write a whole number"
                                + " and a unit, such as 512k, 64m or 1g",
                        "cluster.yaml:10: services.orders.code.source: more than one kind of code (class, source):"
                                + " give exactly one of 'class', 'source', 'file', 'main' or 'jar'",
                        "cluster.yaml:11: services.orders.dependsOn: service 'orders' depends on unknown service 'ghost'",
                        "cluster.yaml:12: services.orders.restart.backoff: invalid duration '1': write a whole number"
                                + " and a unit, such as 250ms, 30s, 5m or 2h",
                        "cluster.yaml:13: services.orders.colour: unknown key 'colour' (expected one of: code,"
                                + " dependsOn, settings, container, permissions, resources, restart, startTimeout,"
                                + " closeTimeout, jvm, health, env, unconfined, placement, box)",
                        "cluster.yaml:14: services.Bad: invalid name 'Bad': " + ServiceNames.RULE,
                        "cluster.yaml:14: services.Bad.code: missing required key: a service needs code:"
                                + " 'class', 'source' or 'file'");
    }
}
