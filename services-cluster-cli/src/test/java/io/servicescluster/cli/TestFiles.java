package io.servicescluster.cli;

import io.servicescluster.cli.testservices.Greeter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Cluster files for CLI tests, whose services are the classes of {@code testservices}. */
final class TestFiles {

    private TestFiles() {
    }

    /** The folder holding the test services' classes. */
    static Path testClasses() {
        try {
            return Path.of(Greeter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code code:} block running {@code simpleName} from {@code testservices}, indented for a service. */
    static String code(String simpleName) {
        return "    code:\n"
                + "      class: " + Greeter.class.getPackageName() + "." + simpleName + "\n"
                + "      classpath: ['" + testClasses() + "']\n";
    }

    /** Writes {@code yaml} to {@code cluster.yaml} in {@code dir}. */
    static Path write(Path dir, String yaml) {
        try {
            return Files.writeString(dir.resolve("cluster.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code db <- web}: two greeters. */
    static Path webAndDb(Path dir) {
        return write(dir, "name: greeters\n"
                + "services:\n"
                + "  db:\n" + code("Greeter")
                + "  web:\n"
                + "    dependsOn: [db]\n" + code("Greeter"));
    }
}
