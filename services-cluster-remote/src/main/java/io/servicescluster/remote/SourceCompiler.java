package io.servicescluster.remote;

import io.servicescluster.api.Service;
import io.servicescluster.protocol.ControlMessage.Code;
import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles a service given as Java source, in memory, with the JDK's own compiler; this class is
 * the only one that touches {@code javax.tools}, so class services never load it. The classpath
 * for compiling is the API (where {@link Service} was loaded from) plus the code's classpath.
 * Compile errors become a {@link StartFailure} listing each one as javac does:
 * {@code Orders.java:4: error: ';' expected}, with the source line and a caret.
 *
 * <p>Threading: called on the start thread; stateless.
 */
final class SourceCompiler {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern PUBLIC_CLASS = Pattern.compile(
            "(?m)^\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*"
                    + "(?:class|record|enum)\\s+([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)");

    private SourceCompiler() {
    }

    /** Compiles the source in {@code code} and loads its public class. */
    static Class<?> compile(Code code, URL[] classpath, ClassLoader parent) throws StartFailure {
        String source = code.classNameOrSource();
        Matcher publicClass = PUBLIC_CLASS.matcher(source);
        if (!publicClass.find()) {
            throw new StartFailure(displayName(code, "") + ": no public class found in the source;"
                    + " a source service is one public class implementing " + Service.class.getName());
        }
        String simpleName = publicClass.group(1);
        Matcher pkg = PACKAGE.matcher(source);
        String className = pkg.find() ? pkg.group(1) + "." + simpleName : simpleName;
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new StartFailure("this Java runtime has no compiler (java.home=" + System.getProperty("java.home")
                    + "): source services need a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        MemoryFileManager files = new MemoryFileManager(
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8));
        List<String> options = List.of("-proc:none", "-classpath", compileClasspath(classpath));
        StringWriter log = new StringWriter();
        JavaFileObject unit = new SourceFile(className, source);
        boolean ok = javac.getTask(log, files, diagnostics, options, null, List.of(unit)).call();
        if (!ok) {
            throw new StartFailure(report(displayName(code, simpleName), source, diagnostics, log));
        }
        ClassLoader loader = files.classLoader(classpath, parent);
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new StartFailure("compiled " + className + " but cannot load it: " + Failures.stackTrace(e));
        }
    }

    private static String displayName(Code code, String simpleName) {
        return code.sourceName().isEmpty() ? simpleName + ".java" : code.sourceName();
    }

    private static String compileClasspath(URL[] classpath) throws StartFailure {
        StringBuilder path = new StringBuilder(location(Service.class));
        for (URL url : classpath) {
            path.append(File.pathSeparatorChar).append(toPath(url));
        }
        return path.toString();
    }

    private static String location(Class<?> type) throws StartFailure {
        return toPath(type.getProtectionDomain().getCodeSource().getLocation());
    }

    private static String toPath(URL url) throws StartFailure {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new StartFailure("cannot compile against " + url + ": " + e);
        }
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
        return Failures.truncate(header + text + log);
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
}
