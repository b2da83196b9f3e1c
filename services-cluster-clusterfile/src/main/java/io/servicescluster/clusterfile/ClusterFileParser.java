package io.servicescluster.clusterfile;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ContainerOptions;
import io.servicescluster.core.config.JvmOptions;
import io.servicescluster.core.config.Problem;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.ServiceNames;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.graph.DependencyGraph;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a cluster file (SPEC §4) into a {@link ClusterSpec}, checking names (R1), unique names (R2)
 * and the dependency graph (R3) on the way. It finds every problem of a file in one pass and throws
 * them together; each names the file, the line and the dotted key ({@code services.orders.restart.within}).
 * Unknown keys, duplicate keys and values of the wrong type are problems, never ignored.
 *
 * <p>Relative paths ({@code classpath}, {@code permissions.files}, {@code code.file}) are resolved
 * against the cluster file's folder; a {@code code.file} is read while parsing. Stateless and thread-safe.
 */
public final class ClusterFileParser {

    private static final List<String> TOP_KEYS = List.of("name", "hosts", "defaults", "services");

    /** How much of the services' code a read checks on this machine, beyond the file itself. */
    public enum CodeChecks {
        /** Nothing: the file and the graph only (a cluster whose code is not built yet still reads). */
        NONE,
        /** Every {@code classpath} entry exists, and each wildcard matches a jar ({@code svc run}). */
        ENTRIES,
        /**
         * The entries, and each {@code class} is found on its classpath and can run as a service,
         * loaded without being initialised, and each {@code source} or {@code file} compiles, by the
         * manager's compiler into its cache ({@code svc check}).
         */
        CLASSES
    }

    private final Fields fields;
    private final ClusterPaths paths;
    private final ContainerKinds kinds;
    private final ServiceReader serviceReader;

    private ClusterFileParser(Path file, Path baseDir, ProblemList problems, CodeChecks checks) {
        this.fields = new Fields(problems);
        this.paths = new ClusterPaths(fields, baseDir, checks != CodeChecks.NONE);
        this.kinds = ContainerKinds.installed(problems);
        this.serviceReader = new ServiceReader(fields, new CodeReader(fields, paths, file, checks),
                new LimitsReader(fields, paths), kinds, paths);
    }

    /**
     * Reads the cluster file {@code file} (UTF-8).
     *
     * @param file the cluster file; messages name it as given
     * @return the cluster, with absolute paths; {@code baseDir} is the file's folder
     * @throws ClusterFileException listing every problem, if the file cannot be read or is not valid
     */
    public static ClusterSpec parse(Path file) throws ClusterFileException {
        return parse(file, CodeChecks.NONE);
    }

    /**
     * Reads the cluster file {@code file} (UTF-8) and checks the services' code on this machine.
     *
     * @param file the cluster file; messages name it as given
     * @param checks what of the code to check besides the file
     * @return the cluster, with absolute paths; {@code baseDir} is the file's folder
     * @throws ClusterFileException listing every problem, if the file cannot be read or is not valid
     */
    public static ClusterSpec parse(Path file, CodeChecks checks) throws ClusterFileException {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw single(file, "no such file");
        } catch (CharacterCodingException e) {
            throw single(file, "cannot read the file: it is not UTF-8 text");
        } catch (IOException e) {
            throw single(file, "cannot read the file: " + ClusterPaths.reason(e));
        }
        return parse(yaml, file, checks);
    }

    /**
     * Reads a cluster file's text, as if it had been read from {@code file}.
     *
     * @param yaml the text of the cluster file
     * @param file where it is: named in messages, and its folder is the base of relative paths
     * @return the cluster, with absolute paths; {@code baseDir} is the file's folder
     * @throws ClusterFileException listing every problem, if the text is not a valid cluster file
     */
    public static ClusterSpec parse(String yaml, Path file) throws ClusterFileException {
        return parse(yaml, file, CodeChecks.NONE);
    }

    /**
     * Reads a cluster file's text, as if it had been read from {@code file}, and checks the
     * services' code on this machine.
     *
     * @param yaml the text of the cluster file
     * @param file where it is: named in messages, and its folder is the base of relative paths
     * @param checks what of the code to check besides the file
     * @return the cluster, with absolute paths; {@code baseDir} is the file's folder
     * @throws ClusterFileException listing every problem, if the text is not a valid cluster file
     */
    public static ClusterSpec parse(String yaml, Path file, CodeChecks checks) throws ClusterFileException {
        Path absolute = file.toAbsolutePath().normalize();
        Path baseDir = absolute.getParent() == null ? absolute : absolute.getParent();
        var problems = new ProblemList(file);
        var parser = new ClusterFileParser(file, baseDir, problems, checks);
        Optional<YamlNode> root = YamlReader.read(yaml, problems);
        Optional<ClusterSpec> cluster = root.flatMap(r -> parser.cluster(new Field("", r.line(), r), baseDir, absolute));
        problems.throwIfAny();
        return cluster.orElseThrow(() -> new AssertionError("no cluster and no problem"));
    }

    private static ClusterFileException single(Path file, String message) {
        return new ClusterFileException(file, List.of(new Problem(file, 0, "", message)));
    }

    private Optional<ClusterSpec> cluster(Field root, Path baseDir, Path file) {
        if (!(root.value() instanceof YamlNode.MapNode)) {
            fields.error(root, "expected a map with 'name' and 'services', got " + root.value().describe());
            return Optional.empty();
        }
        Map<String, Field> keys = fields.map(root, TOP_KEYS).orElseThrow();
        Optional<String> name = Optional.ofNullable(keys.get("name")).flatMap(this::name);
        if (!keys.containsKey("name")) {
            fields.missing(root, "name", "the cluster's name, such as 'name: shop'");
        }
        Map<String, ContainerOptions> hosts = Optional.ofNullable(keys.get("hosts")).map(this::hosts).orElse(Map.of());
        ServiceDraft defaults = Optional.ofNullable(keys.get("defaults")).map(serviceReader::defaults)
                .orElse(ServiceDraft.EMPTY);
        if (!keys.containsKey("services")) {
            fields.missing(root, "services", "a map of service names to services");
        }
        Map<String, ServiceDraft> services = Optional.ofNullable(keys.get("services"))
                .map(field -> services(field, defaults)).orElse(Map.of());
        checkGraph(services, root.childKey("services"));
        checkHeaps(services, defaults);
        int pool = Optional.ofNullable(keys.get("defaults")).flatMap(this::pool).orElse(0);
        return name.map(n -> new ClusterSpec(n, baseDir, Optional.of(file), build(services, defaults, hosts), pool));
    }

    /** {@code defaults.pool}: how many spare remotes to keep ready for restarts (the map itself is checked as defaults). */
    private Optional<Integer> pool(Field defaults) {
        if (!(defaults.value() instanceof YamlNode.MapNode)) {
            return Optional.empty();
        }
        return fields.anyMap(defaults).map(keys -> keys.get("pool")).flatMap(field -> fields.check(field,
                fields.integer(field), n -> n >= 0 && n <= ClusterSpec.MAX_POOL, "pool must be 0 (no spares) to "
                        + ClusterSpec.MAX_POOL + ": each spare is a JVM kept ready for a restart"));
    }

    private Optional<String> name(Field field) {
        return fields.string(field).flatMap(n -> fields.check(field, Optional.of(n), ServiceNames::isValid,
                ServiceNames.problem(n).orElse("")));
    }

    private Map<String, ServiceDraft> services(Field field, ServiceDraft defaults) {
        var drafts = new LinkedHashMap<String, ServiceDraft>();
        fields.anyMap(field).ifPresent(entries -> {
            if (entries.isEmpty()) {
                fields.error(field, "no services: declare at least one");
            }
            entries.forEach((name, service) -> {
                ServiceNames.problem(name).ifPresent(problem -> fields.error(service, problem));
                drafts.put(name, serviceReader.service(service, defaults));
            });
        });
        return drafts;
    }

    /** R3: each problem of the graph, at the line of the {@code dependsOn} item that shows it. */
    private void checkGraph(Map<String, ServiceDraft> services, String servicesKey) {
        var declared = new LinkedHashMap<String, List<String>>();
        services.forEach((name, draft) -> declared.put(name, draft.dependencyNames()));
        for (DependencyGraph.Issue issue : DependencyGraph.of(declared).issues()) {
            List<Field> items = services.get(issue.service()).dependsOn().stream()
                    .filter(item -> ((YamlNode.Scalar) item.value()).text().equals(issue.dependency()))
                    .toList();
            Field item = issue.kind() == DependencyGraph.IssueKind.REPEATED_DEPENDENCY ? items.getLast() : items.getFirst();
            String key = servicesKey + "." + issue.service() + ".dependsOn";
            fields.error(new Field(key, item.line(), item.value()), issue.message());
        }
    }

    /**
     * A heap set in {@code jvm.options} above the service's memory limit: the kernel would kill the
     * JVM before its heap filled, so it is refused here rather than seen as a crash. Once per item.
     */
    private void checkHeaps(Map<String, ServiceDraft> services, ServiceDraft defaults) {
        Set<Field> reported = Collections.newSetFromMap(new IdentityHashMap<>());
        services.values().forEach(draft -> draft.memoryLimit(defaults).ifPresent(limit -> {
            for (Field option : draft.jvmOptions(defaults)) {
                String text = ((YamlNode.Scalar) option.value()).text();
                if (JvmOptions.maxHeapBytes(text).orElse(0) > limit && reported.add(option)) {
                    fields.error(option, "'" + text + "' is more than the memory limit (resources.memory: "
                            + Resources.formatBytes(limit) + "): the service would be killed before its heap is "
                            + "full; lower it, or raise the limit (without -Xmx the heap is "
                            + Math.round(JvmOptions.HEAP_SHARE * 100) + "% of the limit)");
                }
            }
        }));
    }

    /**
     * SPEC §6's {@code hosts:}: each entry is a kind's engine, read by that kind; by kind name, those
     * read without a problem. A name that is no kind on the class path is an unknown key.
     */
    private Map<String, ContainerOptions> hosts(Field field) {
        var hosts = new LinkedHashMap<String, ContainerOptions>();
        fields.map(field, kinds.names()).ifPresent(entries -> entries.forEach((name, entry) ->
                kinds.named(name).flatMap(kind -> kind.readHost(new FieldValue(entry, fields, paths)))
                        .ifPresent(options -> hosts.put(name, options))));
        return hosts;
    }

    private static List<ServiceSpec> build(Map<String, ServiceDraft> services, ServiceDraft defaults,
            Map<String, ContainerOptions> hosts) {
        var specs = new ArrayList<ServiceSpec>();
        services.forEach((name, draft) -> {
            if (draft.code().isPresent()) {
                specs.add(draft.build(name, defaults, hosts));
            }
        });
        return specs;
    }
}
