package io.servicescluster.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the map of one service, or {@code defaults}, into a {@link ServiceDraft}. */
final class ServiceReader {

    static final List<String> KEYS = List.of("code", "dependsOn", "settings", "container", "permissions",
            "resources", "restart", "startTimeout", "closeTimeout", "docker", "jvm");
    static final List<String> DOCKER_KEYS = List.of("image", "java");
    static final List<String> JVM_KEYS = List.of("options");
    static final List<String> CONTAINERS = List.of("process", "docker", "kubernetes");
    private static final List<String> NOT_IN_DEFAULTS = List.of("code", "dependsOn");

    private final Fields fields;
    private final CodeReader codeReader;
    private final LimitsReader limitsReader;

    ServiceReader(Fields fields, CodeReader codeReader, LimitsReader limitsReader) {
        this.fields = fields;
        this.codeReader = codeReader;
        this.limitsReader = limitsReader;
    }

    /** A service's map; {@code code} is required. */
    ServiceDraft service(Field service) {
        return read(service, false);
    }

    /** The {@code defaults} map: any service key but {@code code} and {@code dependsOn}. */
    ServiceDraft defaults(Field defaults) {
        return read(defaults, true);
    }

    private ServiceDraft read(Field field, boolean isDefaults) {
        Optional<Map<String, Field>> entries = fields.map(field, KEYS);
        if (entries.isEmpty()) {
            return ServiceDraft.EMPTY;
        }
        Map<String, Field> keys = entries.get();
        if (isDefaults) {
            NOT_IN_DEFAULTS.stream().filter(keys::containsKey).forEach(name ->
                    fields.error(keys.get(name), "'" + name + "' cannot be in defaults: each service declares its own"));
        } else if (!keys.containsKey("code")) {
            fields.missing(field, "code", "a service needs code: 'class', 'source' or 'file'");
        }
        return new ServiceDraft(
                isDefaults ? Optional.empty() : get(keys, "code").flatMap(codeReader::read),
                isDefaults ? List.of() : get(keys, "dependsOn").map(this::dependsOn).orElse(List.of()),
                get(keys, "container").flatMap(this::container),
                get(keys, "settings").flatMap(this::settings),
                get(keys, "permissions").flatMap(limitsReader::permissions),
                get(keys, "resources").flatMap(limitsReader::resources),
                get(keys, "restart").flatMap(limitsReader::restart),
                get(keys, "startTimeout").flatMap(this::timeout),
                get(keys, "closeTimeout").flatMap(this::timeout),
                get(keys, "docker").flatMap(this::docker),
                get(keys, "jvm").map(this::jvmOptions).orElse(List.of()));
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

    private Optional<String> container(Field field) {
        return fields.string(field).flatMap(kind -> fields.check(field, Optional.of(kind), CONTAINERS::contains,
                "unknown container '" + kind + "' (expected one of: " + String.join(", ", CONTAINERS) + ")"));
    }

    /** {@code docker: { image: IMAGE, java: PATH }}, both optional (docs/docker.md). */
    private Optional<DockerOptions> docker(Field field) {
        return fields.map(field, DOCKER_KEYS).flatMap(keys -> {
            Optional<Field> image = get(keys, "image");
            Optional<Field> java = get(keys, "java");
            Optional<String> imageName = image.flatMap(f -> fields.check(f, fields.string(f), s -> !s.isBlank(),
                    "an image name such as eclipse-temurin:21-jre"));
            Optional<String> launcher = java.flatMap(f -> fields.check(f, fields.string(f), s -> s.startsWith("/")
                    || !s.contains("/"), "the java launcher inside the image: an absolute path, or a command on "
                    + "the image's PATH"));
            if (image.isPresent() != imageName.isPresent() || java.isPresent() != launcher.isPresent()) {
                return Optional.empty();
            }
            return Optional.of(new DockerOptions(imageName, launcher));
        });
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
        return fields.anyMap(field).flatMap(entries -> {
            var settings = new LinkedHashMap<String, String>();
            entries.forEach((name, value) -> {
                if (!(value.value() instanceof YamlNode.Scalar scalar)) {
                    fields.error(value, "a setting is a single value, not " + value.value().describe()
                            + ": write it as a string");
                } else if (scalar.kind() == YamlNode.Scalar.Kind.NULL) {
                    fields.error(value, "a setting needs a value (write \"\" for an empty string)");
                } else {
                    settings.put(name, scalar.text());
                }
            });
            return settings.size() == entries.size() ? Optional.of(settings) : Optional.empty();
        });
    }

    private Optional<Duration> timeout(Field field) {
        return fields.check(field, fields.duration(field), d -> !d.isZero(), "must be more than 0");
    }
}
