package io.servicescluster.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** What a service runs: a class on a classpath, or a Java source string compiled in its container. */
public sealed interface CodeSpec {

    /**
     * The code's class path (absolute jars or folders, {@code folder/*} wildcards kept; the jars of
     * its {@code maven:} coordinates once resolved): where a class is found, what a source is
     * compiled against and runs with.
     */
    List<Path> classpath();

    /** A class that implements {@code Service}, found on {@code classpath} (absolute jars or folders). */
    record ClassCode(String className, List<Path> classpath) implements CodeSpec {
        public ClassCode {
            Objects.requireNonNull(className, "className");
            classpath = List.copyOf(classpath);
        }
    }

    /**
     * A Java compilation unit with one public class implementing {@code Service}.
     *
     * @param source the Java source
     * @param sourceName where it came from, for compiler messages ({@code Orders.java}, {@code cluster.yaml:12})
     * @param classpath the libraries it is compiled against and runs with
     */
    record SourceCode(String source, String sourceName, List<Path> classpath) implements CodeSpec {
        public SourceCode {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(sourceName, "sourceName");
            classpath = List.copyOf(classpath);
        }

        /** A source that needs no library beyond the service API. */
        public SourceCode(String source, String sourceName) {
            this(source, sourceName, List.of());
        }
    }

    static CodeSpec ofClass(String className, Path... classpath) {
        return new ClassCode(className, List.of(classpath));
    }

    static CodeSpec ofSource(String source) {
        return new SourceCode(source, "<source>");
    }
}
