/**
 * Resolves a service's {@code maven:} coordinates to jars with Maven Resolver: the core's
 * {@code ArtifactResolver} SPI, found with {@link java.util.ServiceLoader}. A module of its own so
 * that the core, and everything that embeds it, carries no resolver (about 3 MB of jars) unless
 * it wants one. Exports nothing.
 */
module io.servicescluster.maven {
    requires io.servicescluster.core;
    requires org.apache.maven.resolver;
    requires org.apache.maven.resolver.util;
    requires org.apache.maven.resolver.supplier;

    provides io.servicescluster.core.config.ArtifactResolver with io.servicescluster.maven.MavenArtifactResolver;
}
