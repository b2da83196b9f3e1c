package io.servicescluster.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * SPI: turns a service's {@code maven:} coordinates into jars, those of the artifacts and of their
 * run-time dependencies. The cluster file's reader finds one with {@link java.util.ServiceLoader}
 * (module {@code services-cluster-maven} provides it), so the core needs no resolver of its own.
 * Implementations are thread-safe and may keep what they resolved for the life of the process.
 */
public interface ArtifactResolver {

    /**
     * Resolves {@code coordinates} ({@code groupId:artifactId[:extension[:classifier]]:version})
     * together, as one set of dependencies.
     *
     * @return the jars in class-path order, or for each coordinate that could not be resolved why
     *     not, as the end of a sentence that begins with the coordinate
     */
    Resolution resolve(List<String> coordinates);

    /**
     * What a {@link #resolve} found.
     *
     * @param jars the class path, when {@code problems} is empty
     * @param problems each coordinate that failed, with why
     */
    record Resolution(List<Path> jars, Map<String, String> problems) {
        public Resolution {
            jars = List.copyOf(jars);
            problems = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(problems));
        }
    }
}
