package io.servicescluster.clusterfile;

import io.servicescluster.core.config.ContainerKind;
import io.servicescluster.core.config.ContainerOptions;
import io.servicescluster.core.config.JvmOptions;
import io.servicescluster.core.config.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** Reads the map of one service, or {@code defaults}, into a {@link ServiceDraft}. */
final class ServiceReader {

    /** The keys of every service; the container kinds' option keys come after them. */
    static final List<String> KEYS = List.of("code", "dependsOn", "settings", "container", "permissions",
            "resources", "restart", "startTimeout", "closeTimeout", "jvm", "health", "env",
            "unconfined", "placement");
    /** A key of {@code defaults} alone: it bounds the whole cluster ({@code ClusterSpec#pool}). */
    static final String POOL = "pool";
    static final List<String> JVM_KEYS = List.of("options");
    private static final List<String> NOT_IN_DEFAULTS = List.of("code", "dependsOn");

    private final Fields fields;
    private final CodeReader codeReader;
    private final LimitsReader limitsReader;
    private final HealthReader healthReader;
    private final ContainerKinds kinds;
    private final ClusterPaths paths;
    private final List<String> allKeys;
    /** {@link #allKeys} and {@link #POOL}: what a map holding {@code pool} is read with (defaults, or refused at it). */
    private final List<String> withPool;

    ServiceReader(Fields fields, CodeReader codeReader, LimitsReader limitsReader, ContainerKinds kinds,
            ClusterPaths paths) {
        this.fields = fields;
        this.paths = paths;
        this.codeReader = codeReader;
        this.limitsReader = limitsReader;
        this.healthReader = new HealthReader(fields);
        this.kinds = kinds;
        this.allKeys = Stream.concat(KEYS.stream(), kinds.optionsKeys().stream()).toList();
        this.withPool = Stream.concat(allKeys.stream(), Stream.of(POOL)).toList();
    }

    /**
     * A service's map; {@code code} is required. {@code defaults}: what {@code defaults} gave: its
     * container kind is that of a service that names none (else {@link ServiceSpec#DEFAULT_CONTAINER}),
     * and its {@code permissions}, {@code resources} and {@code restart} are what the service's own
     * keys of those are read over, key by key.
     */
    ServiceDraft service(Field service, ServiceDraft defaults) {
        return read(service, false, defaults);
    }

    /** The {@code defaults} map: any service key but {@code code} and {@code dependsOn}. */
    ServiceDraft defaults(Field defaults) {
        return read(defaults, true, ServiceDraft.EMPTY);
    }

    private ServiceDraft read(Field field, boolean isDefaults, ServiceDraft defaults) {
        String defaultKind = defaults.container().orElse(ServiceSpec.DEFAULT_CONTAINER);
        boolean hasPool = field.value() instanceof YamlNode.MapNode map && map.entries().containsKey(POOL);
        Optional<Map<String, Field>> entries = fields.map(field, hasPool ? withPool : allKeys);
        if (entries.isEmpty()) {
            return ServiceDraft.EMPTY;
        }
        Map<String, Field> keys = entries.get();
        Optional<String> container = get(keys, "container").flatMap(this::container);
        if (isDefaults) {
            NOT_IN_DEFAULTS.stream().filter(keys::containsKey).forEach(name ->
                    fields.error(keys.get(name), "'" + name + "' cannot be in defaults: each service declares its own"));
        } else if (keys.containsKey(POOL)) {
            fields.error(keys.get(POOL), "'pool' belongs in defaults: it is how many spare remotes the whole "
                    + "cluster keeps ready for restarts");
        }
        if (!isDefaults && !keys.containsKey("code")) {
            fields.missing(field, "code", "a service needs code: 'class', 'source' or 'file'");
        }
        String kind = container.orElse(defaultKind);
        Map<String, ContainerOptions> options = options(keys, kind);
        Optional<ContainerOptions> placement = keys.containsKey("container") && container.isEmpty() ? Optional.empty()
                : get(keys, "placement").flatMap(p -> placement(p, kind, options, isDefaults && container.isEmpty()));
        return new ServiceDraft(
                isDefaults ? Optional.empty() : get(keys, "code").flatMap(codeReader::read),
                isDefaults ? List.of() : get(keys, "dependsOn").map(this::dependsOn).orElse(List.of()),
                container,
                get(keys, "settings").flatMap(this::settings),
                get(keys, "permissions").flatMap(f -> limitsReader.permissions(f, defaults.permissions())),
                get(keys, "resources").flatMap(f -> limitsReader.resources(f, defaults.resources())),
                get(keys, "restart").flatMap(f -> limitsReader.restart(f, defaults.restart())),
                get(keys, "startTimeout").flatMap(this::timeout),
                get(keys, "closeTimeout").flatMap(this::timeout),
                options, placement,
                get(keys, "jvm").map(this::jvmOptions).orElse(List.of()),
                get(keys, "health").flatMap(healthReader::read),
                get(keys, "env").flatMap(this::env),
                get(keys, "unconfined").flatMap(fields::bool));
    }

    private static Optional<Field> get(Map<String, Field> keys, String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** The items that are strings; the graph checks the names. */
    private List<Field> dependsOn(Field field) {
        var names = new ArrayList<Field>();
        fields.list(field).orElse(List.of()).forEach(item -> fields.string(item).ifPresent(name -> names.add(item)));
        return names;
    }

    /** A kind found on the class path; else the kinds found, with a did-you-mean. */
    private Optional<String> container(Field field) {
        List<String> names = kinds.names();
        return fields.string(field).flatMap(kind -> fields.check(field, Optional.of(kind), names::contains,
                "unknown container '" + kind + "'" + Fields.suggestion(kind, names) + " (expected one of: "
                        + (names.isEmpty() ? "none found: add a container kind's module, such as "
                                + "services-cluster-process, to the class path" : String.join(", ", names)) + ")"));
    }

    /**
     * The container kinds' options given in this map, by key, each read by the kind that owns it
     * (the map's kind, {@code kind}, where it has the key); only those read without a problem.
     */
    private Map<String, ContainerOptions> options(Map<String, Field> keys, String kind) {
        var options = new LinkedHashMap<String, ContainerOptions>();
        for (String key : kinds.optionsKeys()) {
            get(keys, key).ifPresent(field -> kinds.readerOf(key, kind)
                    .flatMap(reader -> reader.readOptions(new FieldValue(field, fields, paths)))
                    .ifPresent(value -> options.put(key, value)));
        }
        return options;
    }

    /**
     * SPEC §6's {@code placement:}, read by the map's kind {@code kind}: only a kind that places
     * services on other hosts has one, and the kind's own key must not place the service too.
     */
    private Optional<ContainerOptions> placement(Field field, String kind, Map<String, ContainerOptions> options,
            boolean defaultsWithoutKind) {
        Optional<ContainerKind> reader = kinds.named(kind);
        if (defaultsWithoutKind && (reader.isEmpty() || !reader.get().placesOnHosts())) {
            // the kind the placement is for is that of defaults: without one, nothing can read it
            fields.error(field, "a 'placement' in defaults needs 'container' in defaults too (such as 'container: "
                    + kinds.placingNames().stream().findFirst().orElse("swarm") + "'): it is read by that kind");
            return Optional.empty();
        }
        if (reader.isEmpty() || !reader.get().placesOnHosts()) {
            List<String> placing = kinds.placingNames();
            fields.error(field, "container '" + kind + "' runs its services on this machine: 'placement' is for "
                    + (placing.isEmpty() ? "the kinds that place them on other hosts, and none is on the class path"
                            : "the kinds that place them on other hosts (" + String.join(", ", placing) + ")"));
            return Optional.empty();
        }
        Optional<ContainerOptions> placement = reader.get().readPlacement(new FieldValue(field, fields, paths));
        Optional<String> ownKey = reader.get().optionsKey();
        if (placement.isPresent() && ownKey.map(options::get).filter(ContainerOptions::placed).isPresent()) {
            fields.error(field, "the placement is given twice: here and under '" + ownKey.get()
                    + "'; keep one (SPEC's 'placement:' is the one to keep)");
            return Optional.empty();
        }
        return placement;
    }

    /** The items of {@code jvm.options}, each an option the runtime can take (reported otherwise). */
    private List<Field> jvmOptions(Field field) {
        var options = new ArrayList<Field>();
        fields.map(field, JVM_KEYS).flatMap(keys -> get(keys, "options")).flatMap(fields::list).ifPresent(items ->
                items.forEach(item -> fields.string(item).ifPresent(option -> JvmOptions.refusal(option).ifPresentOrElse(
                        problem -> fields.error(item, problem), () -> options.add(item)))));
        return options;
    }

    private Optional<Map<String, String>> settings(Field field) {
        return values(field, "a setting", name -> Optional.empty());
    }

    /** {@code env}: values as settings are, names that a process environment can hold and the runtime does not reserve. */
    private Optional<Map<String, String>> env(Field field) {
        return values(field, "a variable", ServiceSpec::envProblem);
    }

    /** A map of single values, each as its text, under names {@code nameProblem} finds nothing wrong with; {@code what} names one in messages. */
    private Optional<Map<String, String>> values(Field field, String what, Function<String, Optional<String>> nameProblem) {
        return fields.anyMap(field).flatMap(entries -> {
            var values = new LinkedHashMap<String, String>();
            entries.forEach((name, value) -> {
                Optional<String> badName = nameProblem.apply(name);
                if (badName.isPresent()) {
                    fields.error(value, badName.get());
                } else if (!(value.value() instanceof YamlNode.Scalar scalar)) {
                    fields.error(value, what + " is a single value, not " + value.value().describe()
                            + ": write it as a string");
                } else if (scalar.kind() == YamlNode.Scalar.Kind.NULL) {
                    fields.error(value, what + " needs a value (write \"\" for an empty string)");
                } else {
                    values.put(name, scalar.text());
                }
            });
            return values.size() == entries.size() ? Optional.of(values) : Optional.empty();
        });
    }

    private Optional<Duration> timeout(Field field) {
        return fields.check(field, fields.duration(field), d -> !d.isZero(), "must be more than 0");
    }
}
