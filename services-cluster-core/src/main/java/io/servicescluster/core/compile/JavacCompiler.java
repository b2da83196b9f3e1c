package io.servicescluster.core.compile;

import io.servicescluster.api.Service;
import io.servicescluster.protocol.ControlMessage.ClassFile;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The manager's one compiler: the JDK's {@code javac}, kept warm for the manager's life, compiling
 * a service's source in memory, without annotation processing, for {@value #RELEASE} — the oldest
 * JDK a remote may run (the default Docker image is a Java 21 JRE, with no compiler), so that the
 * same bytes run in every container kind. Compile errors become a {@link CompileException} listing
 * each one as javac does: {@code Orders.java:4: error: ';' expected}, with the source line and a caret.
 *
 * <p>Thread-safe: each call is its own compilation task with its own file manager, so calls run in
 * parallel. {@link #compilations()} counts the sources it compiled (tests observe the cache with it).
 */
public final class JavacCompiler {

    /** The Java release that compiled classes target. */
    static final int RELEASE = 21;
    /** The most of a compile report kept, in characters (javac stops at 100 errors anyway). */
    private static final int MAX_REPORT = 256 * 1024;
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern PUBLIC_CLASS = Pattern.compile(
            "(?m)^\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*"
                    + "(?:class|record|enum)\\s+([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)");

    private final AtomicLong compilations = new AtomicLong();

    /** The options of every compilation but the classpath: part of the cache key. */
    static List<String> options() {
        return List.of("-proc:none", "--release", Integer.toString(RELEASE));
    }

    /**
     * Compiles {@code source}, whose public class implements {@link Service}, against the API and
     * {@code classpath}.
     *
     * @param sourceName where the source came from, for the messages ({@code Orders.java}, {@code cluster.yaml[source]})
     * @param classpath the compile class path: the API's location first, then the service's libraries
     * @throws CompileException with javac's diagnostics, or why it cannot compile here
     */
    public CompiledSource compile(String source, String sourceName, List<Path> classpath) throws CompileException {
        Matcher publicClass = PUBLIC_CLASS.matcher(source);
        if (!publicClass.find()) {
            throw new CompileException(sourceName + ": no public class found in the source;"
                    + " a source service is one public class implementing " + Service.class.getName());
        }
        String simpleName = publicClass.group(1);
        Matcher pkg = PACKAGE.matcher(source);
        String className = pkg.find() ? pkg.group(1) + "." + simpleName : simpleName;
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new CompileException("this Java runtime has no compiler (java.home=" + System.getProperty("java.home")
                    + "): the manager compiles source services, so it needs a JDK");
        }
        compilations.incrementAndGet();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = new ArrayList<>(options());
        options.add("-classpath");
        options.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        StringWriter log = new StringWriter();
        try (MemoryFileManager files = new MemoryFileManager(
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8))) {
            boolean ok = javac.getTask(log, files, diagnostics, options, null, List.of(new SourceFile(className, source)))
                    .call();
            if (!ok) {
                throw new CompileException(report(sourceName, source, diagnostics, log));
            }
            return new CompiledSource(className, files.classFiles());
        } catch (java.io.IOException e) {
            throw new CompileException("compiling " + sourceName + " failed: " + e);
        }
    }

    /** How many sources this compiler compiled (cache hits do not count). */
    public long compilations() {
        return compilations.get();
    }

    private static String report(String sourceName, String source, DiagnosticCollector<JavaFileObject> diagnostics,
            StringWriter log) {
        List<String> lines = source.lines().toList();
        StringBuilder text = new StringBuilder();
        int errors = 0;
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            errors++;
            long line = d.getLineNumber();
            text.append(line > 0 ? sourceName + ":" + line + ": " : sourceName + ": ")
                    .append("error: ").append(d.getMessage(Locale.ROOT)).append('\n');
            if (line > 0 && line <= lines.size()) {
                String code = lines.get((int) line - 1);
                text.append(code).append('\n');
                long column = d.getColumnNumber();
                if (column > 0 && column <= code.length() + 1) {
                    text.append(" ".repeat((int) column - 1)).append("^\n");
                }
            }
        }
        String header = "compiling " + sourceName + " failed: " + errors + (errors == 1 ? " error" : " errors") + "\n";
        String report = header + text + log;
        return report.length() <= MAX_REPORT ? report
                : report.substring(0, MAX_REPORT) + "\n[... " + (report.length() - MAX_REPORT) + " characters cut]";
    }

    /** A compilation unit held in a string. */
    private static final class SourceFile extends SimpleJavaFileObject {
        private final String source;

        SourceFile(String className, String source) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.source = source;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
        }
    }

    /** Keeps the class files in memory and reads everything else through the standard file manager. */
    private static final class MemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {

        private final Map<String, ByteArrayOutputStream> classes = new TreeMap<>();

        MemoryFileManager(StandardJavaFileManager standard) {
            super(standard);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            classes.put(className, bytes);
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return bytes;
                }
            };
        }

        List<ClassFile> classFiles() {
            List<ClassFile> files = new ArrayList<>();
            classes.forEach((name, bytes) -> files.add(new ClassFile(name, bytes.toByteArray())));
            return files;
        }
    }
}
