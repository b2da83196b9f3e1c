package io.servicescluster.clusterfile;

import io.servicescluster.clusterfile.ClusterFileParser.CodeChecks;
import io.servicescluster.core.config.ArtifactResolver;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * A service's {@code maven: [groupId:artifactId:version, …]}: each item's form is always checked;
 * with {@link CodeChecks#ENTRIES} and more ({@code svc run}, {@code svc check}) the coordinates are
 * resolved by the {@link ArtifactResolver} on the class path, and each one that cannot be is an
 * error on its own line of the file. Without checks ({@code svc graph}) nothing is resolved and no
 * jar is added.
 */
final class MavenCoordinates {

    /** {@code groupId:artifactId[:extension[:classifier]]:version}, as Maven Resolver reads them. */
    private static final Pattern COORDINATE = Pattern.compile("[^: /\\\\]+(:[^: /\\\\]+){2,4}");

    private final Fields fields;
    private final CodeChecks checks;

    MavenCoordinates(Fields fields, CodeChecks checks) {
        this.fields = fields;
        this.checks = checks;
    }

    /** The jars of {@code maven}'s coordinates and their dependencies, or empty after reporting what is wrong. */
    Optional<List<Path>> jars(Field maven) {
        return fields.list(maven).flatMap(items -> {
            Map<String, Field> coordinates = new LinkedHashMap<>();
            for (Field item : items) {
                fields.string(item).ifPresent(text -> {
                    if (COORDINATE.matcher(text).matches()) {
                        coordinates.put(text, item);
                    } else {
                        fields.error(item, "'" + text + "' is not Maven coordinates: groupId:artifactId:version "
                                + "(or groupId:artifactId:extension[:classifier]:version), e.g. com.h2database:h2:2.3.232");
                    }
                });
            }
            if (coordinates.size() != items.size()) {
                return Optional.empty();
            }
            return checks == CodeChecks.NONE || coordinates.isEmpty() ? Optional.of(List.of()) : resolve(maven, coordinates);
        });
    }

    private Optional<List<Path>> resolve(Field maven, Map<String, Field> coordinates) {
        Optional<ArtifactResolver> resolver = Resolver.INSTANCE;
        if (resolver.isEmpty()) {
            fields.error(maven, "no Maven resolver: the module services-cluster-maven is not on svc's class path");
            return Optional.empty();
        }
        ArtifactResolver.Resolution resolution = resolver.get().resolve(List.copyOf(coordinates.keySet()));
        resolution.problems().forEach((coordinate, problem) ->
                fields.error(coordinates.getOrDefault(coordinate, maven), "'" + coordinate + "' " + problem));
        return resolution.problems().isEmpty() ? Optional.of(resolution.jars()) : Optional.empty();
    }

    /** The resolver, loaded once: it keeps what it resolved for the life of the process. */
    private static final class Resolver {
        static final Optional<ArtifactResolver> INSTANCE =
                ServiceLoader.load(ArtifactResolver.class, ArtifactResolver.class.getClassLoader()).findFirst();
    }
}
