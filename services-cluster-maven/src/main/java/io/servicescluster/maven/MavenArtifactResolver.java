package io.servicescluster.maven;

import io.servicescluster.core.config.ArtifactResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;

/**
 * Resolves {@code maven:} coordinates with Maven Resolver, as Maven itself would: the artifacts
 * and their {@code compile} and {@code runtime} dependencies (versions mediated, nearest wins),
 * from the local repository first — {@code ~/.m2/repository}, or the system property
 * {@value #LOCAL_PROPERTY} — then Maven Central, or the repositories of the system property
 * {@value #REPOSITORIES_PROPERTY} (comma-separated URLs). What is downloaded stays in the local
 * repository, which is the cache: the next run resolves without the network. A miss is not
 * remembered there, so a later run tries the remote again.
 *
 * <p>Thread-safe; the repository system is made on first use, and a resolution that succeeded is
 * kept for the life of the process.
 */
public final class MavenArtifactResolver implements ArtifactResolver {

    /** Maven's own property for the local repository's folder. */
    public static final String LOCAL_PROPERTY = "maven.repo.local";
    /** Remote repositories instead of Maven Central: comma-separated URLs ({@code https:}, {@code file:}). */
    public static final String REPOSITORIES_PROPERTY = "services-cluster.maven.repositories";
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    private static final String RUNTIME = "runtime";

    private final Map<List<String>, Resolution> resolved = new ConcurrentHashMap<>();
    private RepositorySystem system;

    /** For {@link java.util.ServiceLoader}. */
    public MavenArtifactResolver() {
    }

    @Override
    public Resolution resolve(List<String> coordinates) {
        List<String> key = List.copyOf(coordinates);
        Resolution known = resolved.get(key);
        if (known != null) {
            return known;
        }
        Resolution resolution = resolveNow(key);
        if (resolution.problems().isEmpty()) {
            resolved.put(key, resolution);
        }
        return resolution;
    }

    private Resolution resolveNow(List<String> coordinates) {
        Path local = localRepository();
        try (CloseableSession session = new SessionBuilderSupplier(system()).get()
                .withLocalRepositoryBaseDirectories(local)
                .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(false, false))
                .build()) {
            try {
                return new Resolution(jars(session, coordinates), Map.of());
            } catch (DependencyResolutionException | RuntimeException together) {
                // which of them: each alone (a failure only together is a conflict, put on the first)
                Map<String, String> problems = new LinkedHashMap<>();
                for (String coordinate : coordinates) {
                    try {
                        jars(session, List.of(coordinate));
                    } catch (DependencyResolutionException | RuntimeException e) {
                        problems.put(coordinate, describe(e, local));
                    }
                }
                if (problems.isEmpty()) {
                    problems.put(coordinates.getFirst(), describe(together, local));
                }
                return new Resolution(List.of(), problems);
            }
        }
    }

    private List<Path> jars(CloseableSession session, List<String> coordinates) throws DependencyResolutionException {
        List<Dependency> roots = new ArrayList<>();
        for (String coordinate : coordinates) {
            roots.add(new Dependency(new DefaultArtifact(coordinate), RUNTIME));
        }
        CollectRequest collect = new CollectRequest(roots, List.of(), remotes());
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(RUNTIME));
        List<Path> jars = new ArrayList<>();
        for (ArtifactResult result : system().resolveDependencies(session, request).getArtifactResults()) {
            jars.add(result.getArtifact().getPath());
        }
        return jars;
    }

    /** The deepest cause's message: Maven Resolver's outer ones only say "failed to collect". */
    private static String describe(Exception e, Path local) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return "cannot be resolved: " + message + " (local repository " + local + ")";
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    static Path localRepository() {
        String override = System.getProperty(LOCAL_PROPERTY);
        return override != null && !override.isBlank() ? Path.of(override).toAbsolutePath()
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    static List<RemoteRepository> remotes() {
        String configured = System.getProperty(REPOSITORIES_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return List.of(new RemoteRepository.Builder("central", "default", CENTRAL).build());
        }
        List<RemoteRepository> remotes = new ArrayList<>();
        for (String url : configured.split(",")) {
            if (!url.isBlank()) {
                remotes.add(new RemoteRepository.Builder("remote-" + (remotes.size() + 1), "default", url.strip()).build());
            }
        }
        return remotes;
    }
}
