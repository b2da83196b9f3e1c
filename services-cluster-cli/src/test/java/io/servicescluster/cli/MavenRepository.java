package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.api.Service;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * A Maven repository in a folder, for tests that resolve {@code maven:} coordinates without the
 * network: jars compiled here from Java source with the JDK's compiler, each with its POM.
 */
final class MavenRepository {

    static final String GROUP = "org.example.svc";

    private final Path root;
    private final Path work;

    MavenRepository(Path root, Path work) {
        this.root = root;
        this.work = work;
    }

    /** The repository's URL, for {@code services-cluster.maven.repositories}. */
    String url() {
        return root.toUri().toString();
    }

    /**
     * Compiles {@code sources} (class name → source) against the service API and {@code classpath},
     * and packs the classes into {@code target}.
     */
    static Path jar(Path target, Path work, List<Path> classpath, String... sources) throws IOException {
        Path src = Files.createTempDirectory(work, "src");
        Path classes = Files.createTempDirectory(work, "classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                Stream.concat(Stream.of(apiJar()), classpath.stream()).map(Path::toString)
                        .reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow()));
        for (int i = 0; i < sources.length; i += 2) {
            Path file = src.resolve(sources[i].replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, sources[i + 1]);
            args.add(file.toString());
        }
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new))).isZero();
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }
        return target;
    }

    /** Deploys {@code GROUP:artifact:1.0}: its jar of {@code sources}, and a POM naming {@code dependencies} (artifacts of GROUP, 1.0). */
    Path deploy(String artifact, List<String> dependencies, String... sources) throws IOException {
        Path folder = root.resolve(GROUP.replace('.', '/')).resolve(artifact).resolve("1.0");
        List<Path> compileClasspath = dependencies.stream()
                .map(d -> root.resolve(GROUP.replace('.', '/')).resolve(d).resolve("1.0").resolve(d + "-1.0.jar")).toList();
        Path jar = jar(folder.resolve(artifact + "-1.0.jar"), work, compileClasspath, sources);
        StringBuilder pom = new StringBuilder("<project><modelVersion>4.0.0</modelVersion><groupId>" + GROUP
                + "</groupId><artifactId>" + artifact + "</artifactId><version>1.0</version><dependencies>");
        for (String dependency : dependencies) {
            pom.append("<dependency><groupId>").append(GROUP).append("</groupId><artifactId>").append(dependency)
                    .append("</artifactId><version>1.0</version></dependency>");
        }
        Path pomFile = Files.writeString(folder.resolve(artifact + "-1.0.pom"), pom.append("</dependencies></project>\n"));
        sha1(jar);
        sha1(pomFile);
        return jar;
    }

    /** The checksum file Maven Resolver checks a download against. */
    private static void sha1(Path file) throws IOException {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file));
            Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), java.util.HexFormat.of().formatHex(digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path apiJar() {
        try {
            return Path.of(Service.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
