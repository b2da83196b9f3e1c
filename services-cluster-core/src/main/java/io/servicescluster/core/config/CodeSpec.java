package io.servicescluster.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a service runs: a class on a classpath, a Java source string compiled in its container, or
 * an existing application's {@code main}.
 */
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

    /**
     * An existing application: its unmodified {@code public static void main(String[])}, run with
     * {@code args} in the remote runtime (SPEC §4 {@code code.main}, {@code code.jar}).
     *
     * @param mainClass the class with {@code main}; empty for the {@code Main-Class} of the jar that
     *     is the first {@code classpath} entry ({@code code.jar}), read at each start
     * @param classpath absolute jars or folders
     * @param args the arguments of {@code main}
     */
    record MainCode(Optional<String> mainClass, List<Path> classpath, List<String> args) implements CodeSpec {
        public MainCode {
            Objects.requireNonNull(mainClass, "mainClass");
            classpath = List.copyOf(classpath);
            args = List.copyOf(args);
            if (mainClass.isEmpty() && classpath.isEmpty()) {
                throw new IllegalArgumentException("an application without a main class needs its jar first on the classpath");
            }
        }
    }

    static CodeSpec ofClass(String className, Path... classpath) {
        return new ClassCode(className, List.of(classpath));
    }

    /** The {@code main} of {@code mainClass}, found on {@code classpath}. */
    static CodeSpec ofMain(String mainClass, List<String> args, Path... classpath) {
        return new MainCode(Optional.of(mainClass), List.of(classpath), args);
    }

    /** The {@code main} of the {@code Main-Class} that the manifest of {@code jar} names, as {@code java -jar} runs it. */
    static CodeSpec ofJar(Path jar, List<String> args, Path... classpath) {
        List<Path> entries = new ArrayList<>(List.of(jar));
        entries.addAll(List.of(classpath));
        return new MainCode(Optional.empty(), entries, args);
    }

    static CodeSpec ofSource(String source) {
        return new SourceCode(source, "<source>");
    }
}
