package io.servicescluster.clusterfile;

import io.servicescluster.core.config.ContainerKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The container kinds one read of a cluster file knows: those found on the class path with
 * {@link ServiceLoader}, by name.
 */
final class ContainerKinds {

    private final List<ContainerKind> kinds;

    private ContainerKinds(List<ContainerKind> kinds) {
        this.kinds = kinds.stream().sorted(Comparator.comparing(ContainerKind::name)).toList();
    }

    /**
     * The kinds on the class path; a kind that cannot be loaded is reported as a problem of the
     * file (line 0): its services would otherwise read as of an unknown kind, without the cause.
     */
    static ContainerKinds installed(ProblemList problems) {
        var found = new ArrayList<ContainerKind>();
        try {
            ServiceLoader.load(ContainerKind.class).forEach(kind -> {
                if (found.stream().noneMatch(k -> k.name().equals(kind.name()))) {
                    found.add(kind);
                }
            });
        } catch (ServiceConfigurationError e) {
            problems.add(0, "", "a container kind on the class path cannot be loaded: " + e.getMessage());
        }
        return new ContainerKinds(found);
    }

    /** The kinds' names, in order. */
    List<String> names() {
        return kinds.stream().map(ContainerKind::name).toList();
    }

    /** The kind named {@code name}, if found. */
    Optional<ContainerKind> named(String name) {
        return kinds.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The names of the kinds that place services on other hosts ({@link ContainerKind#placesOnHosts()}), in order. */
    List<String> placingNames() {
        return kinds.stream().filter(ContainerKind::placesOnHosts).map(ContainerKind::name).toList();
    }

    /** The service keys of the kinds' options, each once, in order. */
    List<String> optionsKeys() {
        return kinds.stream().flatMap(k -> k.optionsKey().stream()).distinct().toList();
    }

    /**
     * The kind that reads the options under {@code key} of a service of kind {@code kind}: that
     * kind if it has the key, else the first kind that has it (the options are checked even
     * where no service uses them, as every key of the file is).
     */
    Optional<ContainerKind> readerOf(String key, String kind) {
        List<ContainerKind> owners = kinds.stream().filter(k -> k.optionsKey().equals(Optional.of(key))).toList();
        return owners.stream().filter(k -> k.name().equals(kind)).findFirst().or(() -> owners.stream().findFirst());
    }
}
