package io.servicescluster.core.compile;

import io.servicescluster.api.Service;
import io.servicescluster.protocol.ControlMessage.ClassFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * a service's source in memory, without annotation processing, at language level and class-file
 * version {@value #RELEASE} — the oldest JDK a remote may run (the default Docker image is a Java 21
 * JRE, with no compiler), so that the same bytes run in every container kind. {@code --source} and
 * {@code --target} rather than {@code --release}: the latter reads the JDK's {@code ct.sym} for every
 * compilation, which costs a cold manager more than any other part of a first compile; the price
 * is that a JDK 22+ API is not refused here (it fails to link on a Java 21 remote instead).
 * Compile errors become a {@link CompileException} listing each one as javac does:
 * {@code Orders.java:4: error: ';' expected}, with the source line and a caret.
 *
 * <p>Thread-safe: each call is its own compilation task, so calls run in parallel. Their file
 * managers (which hold the opened platform classes and jars) are reused by later calls on the same
 * class path — same content, as the caller's key says — because javac documents that a standard
 * file manager serves sequential compilations. {@link #compilations()} counts the sources it
 * compiled (tests observe the cache with it).
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

    /** The file managers kept for reuse: a few, the most recently returned last. */
    private static final int KEPT_FILE_MANAGERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Deque<WarmFiles> idleFiles = new ArrayDeque<>();

    /** A standard file manager set up for the class path whose content is {@code classpathKey}. */
    private record WarmFiles(String classpathKey, StandardJavaFileManager files) {
    }

    /** The options of every compilation but the classpath: part of the cache key. */
    static List<String> options() {
        String release = Integer.toString(RELEASE);
        return List.of("-proc:none", "--source", release, "--target", release, "-Xlint:-options");
    }

    /**
     * Compiles {@code source}, whose public class implements {@link Service}, against the API and
     * {@code classpath}.
     *
     * @param sourceName where the source came from, for the messages ({@code Orders.java}, {@code cluster.yaml[source]})
     * @param classpath the compile class path: the API's location first, then the service's libraries
     * @param classpathKey the digest of {@code classpath}'s content: a file manager is reused only for the same
     * @throws CompileException with javac's diagnostics, or why it cannot compile here
     */
    CompiledSource compile(String source, String sourceName, List<Path> classpath, String classpathKey)
            throws CompileException {
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
        WarmFiles warm = borrow(javac, classpathKey);
        MemoryFileManager files = new MemoryFileManager(warm.files()); // not closed: that would close the warm one
        boolean ok;
        try {
            ok = javac.getTask(log, files, diagnostics, options, null, List.of(new SourceFile(className, source))).call();
        } catch (RuntimeException e) {
            close(warm);
            throw new CompileException("compiling " + sourceName + " failed: " + e);
        }
        giveBack(warm);
        if (!ok) {
            throw new CompileException(report(sourceName, source, diagnostics, log));
        }
        return new CompiledSource(className, files.classFiles());
    }

    private WarmFiles borrow(JavaCompiler javac, String classpathKey) {
        synchronized (idleFiles) {
            for (var it = idleFiles.descendingIterator(); it.hasNext(); ) {
                WarmFiles warm = it.next();
                if (warm.classpathKey().equals(classpathKey)) {
                    it.remove();
                    return warm;
                }
            }
        }
        // diagnostics of the file manager itself (a bad class path entry) reach the task's listener through javac's log
        return new WarmFiles(classpathKey, javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8));
    }

    private void giveBack(WarmFiles warm) {
        WarmFiles dropped = null;
        synchronized (idleFiles) {
            idleFiles.addLast(warm);
            if (idleFiles.size() > KEPT_FILE_MANAGERS) {
                dropped = idleFiles.removeFirst();
            }
        }
        if (dropped != null) {
            close(dropped);
        }
    }

    private static void close(WarmFiles warm) {
        try {
            warm.files().close();
        } catch (IOException e) {
            // only open jars to let go of
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
