package io.servicescluster.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One service as declared (SPEC §4). Immutable; paths are absolute.
 *
 * @param name the service's name (R1)
 * @param dependsOn the names of the services it depends on, in declaration order
 * @param code what to run
 * @param container the container kind: {@code process} (default), {@code docker}, …
 * @param settings handed to the service as {@code ServiceContext.settings()}
 * @param permissions what the container must enforce (R15)
 * @param resources memory and CPU limits
 * @param restart what to do when it fails or crashes
 * @param startTimeout how long {@code start} may take (R12)
 * @param closeTimeout how long {@code close} may take before the process is killed (R13)
 * @param options the container kinds' own options ({@code docker:} …), by their key in the cluster
 *     file: opaque here, each read by its kind ({@link ContainerKind}) and used by its containers
 * @param jvm extra options of the service's JVM, after the runtime's own
 * @param health its health check from the cluster file (R16), if any
 * @param env environment variables of the service's process, on top of the manager's own; names
 *     are {@link #ENV_NAME} and never {@code SVC_*}, which the runtime reserves
 * @param unconfined whether the cluster file opted out of the confinement every service gets by
 *     default ({@code unconfined: true}; docs/security.md): shown among its {@link #restrictions()}
 */
public record ServiceSpec(String name, List<String> dependsOn, CodeSpec code, String container,
        Map<String, String> settings, Permissions permissions, Resources resources, RestartPolicy restart,
        Duration startTimeout, Duration closeTimeout, Map<String, ContainerOptions> options, JvmOptions jvm,
        Optional<HealthSpec> health, Map<String, String> env, boolean unconfined) {

    /** What an environment variable's name may be (as POSIX shells accept them). */
    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The prefix of the variables the runtime sets for itself ({@code SVC_CONTROL}, …). */
    public static final String RESERVED_ENV_PREFIX = "SVC_";

    public static final String DEFAULT_CONTAINER = "process";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(container, "container");
        settings = Map.copyOf(settings);
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(restart, "restart");
        requirePositive(startTimeout, "startTimeout");
        requirePositive(closeTimeout, "closeTimeout");
        options = Map.copyOf(options);
        options.forEach((key, value) -> {
            if (!key.equals(value.key())) {
                throw new IllegalArgumentException("options of key '" + value.key() + "' under '" + key + "'");
            }
        });
        Objects.requireNonNull(jvm, "jvm");
        Objects.requireNonNull(health, "health");
        env = Map.copyOf(env);
        env.keySet().forEach(variable -> envProblem(variable).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        }));
    }

    /** A service without environment variables of its own, confined as by default (not {@link #unconfined}). */
    public ServiceSpec(String name, List<String> dependsOn, CodeSpec code, String container,
            Map<String, String> settings, Permissions permissions, Resources resources, RestartPolicy restart,
            Duration startTimeout, Duration closeTimeout, Map<String, ContainerOptions> options, JvmOptions jvm,
            Optional<HealthSpec> health) {
        this(name, dependsOn, code, container, settings, permissions, resources, restart, startTimeout, closeTimeout,
                options, jvm, health, Map.of(), false);
    }

    /** What is wrong with {@code variable} as the name of a service's environment variable; empty if nothing. */
    public static Optional<String> envProblem(String variable) {
        if (!ENV_NAME.matcher(variable).matches()) {
            return Optional.of("'" + variable + "' is not a variable name: letters, digits and '_', not starting "
                    + "with a digit");
        }
        if (variable.startsWith(RESERVED_ENV_PREFIX)) {
            return Optional.of("'" + variable + "': names starting with " + RESERVED_ENV_PREFIX
                    + " are reserved for the runtime");
        }
        return Optional.empty();
    }

    /** A service without a health check in the cluster file. */
    public ServiceSpec(String name, List<String> dependsOn, CodeSpec code, String container,
            Map<String, String> settings, Permissions permissions, Resources resources, RestartPolicy restart,
            Duration startTimeout, Duration closeTimeout, Map<String, ContainerOptions> options, JvmOptions jvm) {
        this(name, dependsOn, code, container, settings, permissions, resources, restart, startTimeout, closeTimeout,
                options, jvm, Optional.empty());
    }

    /** A service without container options or extra JVM options. */
    public ServiceSpec(String name, List<String> dependsOn, CodeSpec code, String container,
            Map<String, String> settings, Permissions permissions, Resources resources, RestartPolicy restart,
            Duration startTimeout, Duration closeTimeout) {
        this(name, dependsOn, code, container, settings, permissions, resources, restart, startTimeout, closeTimeout,
                Map.of(), JvmOptions.NONE);
    }

    /**
     * The container options of type {@code type}, if the service has them: a kind asks for its
     * own ({@code spec.options(DockerOptions.class)}) and applies its defaults when there are none.
     */
    public <T extends ContainerOptions> Optional<T> options(Class<T> type) {
        return options.values().stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /**
     * Every restriction the container must enforce, in words: {@code unconfined} first where the
     * file opted out of confinement (so that it is seen), the permissions stricter than the
     * defaults, then the resource limits; empty when there are none. For {@code svc check},
     * {@code svc ps} and messages.
     */
    public List<String> restrictions() {
        List<String> out = new ArrayList<>();
        if (unconfined) {
            out.add("unconfined");
        }
        out.addAll(permissions.describeRestrictions());
        out.addAll(resources.describe());
        return List.copyOf(out);
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + duration);
        }
    }

    /** A builder with the defaults of SPEC §4; {@link Builder#code} must be called. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link ServiceSpec} in code. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<String> dependsOn = new ArrayList<>();
        private CodeSpec code;
        private String container = DEFAULT_CONTAINER;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Permissions permissions = Permissions.DEFAULT;
        private Resources resources = Resources.UNLIMITED;
        private RestartPolicy restart = RestartPolicy.NEVER;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private final Map<String, ContainerOptions> options = new LinkedHashMap<>();
        private JvmOptions jvm = JvmOptions.NONE;
        private Optional<HealthSpec> health = Optional.empty();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean unconfined;

        private Builder(String name) {
            this.name = name;
        }

        public Builder dependsOn(String... names) {
            dependsOn.addAll(List.of(names));
            return this;
        }

        public Builder code(CodeSpec code) {
            this.code = code;
            return this;
        }

        public Builder container(String container) {
            this.container = container;
            return this;
        }

        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Builder settings(Map<String, String> settings) {
            this.settings.putAll(settings);
            return this;
        }

        public Builder permissions(Permissions permissions) {
            this.permissions = permissions;
            return this;
        }

        public Builder resources(Resources resources) {
            this.resources = resources;
            return this;
        }

        public Builder restart(RestartPolicy restart) {
            this.restart = restart;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /** A container kind's options ({@code new DockerOptions(…)}), replacing those of the same key. */
        public Builder options(ContainerOptions options) {
            this.options.put(options.key(), options);
            return this;
        }

        /** Extra options of the service's JVM ({@code -XX:+UseZGC}, {@code -Dkey=value}). */
        /** The service's health check (R16); none by default. */
        public Builder health(HealthSpec health) {
            this.health = Optional.of(health);
            return this;
        }

        /** An environment variable of the service's process. */
        public Builder env(String variable, String value) {
            env.put(variable, value);
            return this;
        }

        /** Opts out of the default confinement ({@code unconfined: true}); confined by default. */
        public Builder unconfined(boolean unconfined) {
            this.unconfined = unconfined;
            return this;
        }

        public Builder jvmOptions(String... options) {
            this.jvm = new JvmOptions(List.of(options));
            return this;
        }

        public ServiceSpec build() {
            if (code == null) {
                throw new IllegalStateException("service '" + name + "' has no code");
            }
            return new ServiceSpec(name, dependsOn, code, container, settings, permissions, resources, restart,
                    startTimeout, closeTimeout, options, jvm, health, env, unconfined);
        }
    }
}
