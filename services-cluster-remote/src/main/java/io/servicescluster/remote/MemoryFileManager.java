package io.servicescluster.remote;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;

/**
 * A file manager that keeps the compiled classes in memory and reads everything else through
 * the standard one; {@link #classLoader} then defines those classes, in front of the classpath.
 *
 * <p>Threading: used by one compilation on one thread; the class loader it makes is thread-safe.
 */
final class MemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {

    private final Map<String, ByteArrayOutputStream> classes = new HashMap<>();

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

    /** A loader that defines the compiled classes first, then looks on {@code classpath}. */
    ClassLoader classLoader(URL[] classpath, ClassLoader parent) {
        Map<String, byte[]> compiled = new HashMap<>();
        for (Map.Entry<String, ByteArrayOutputStream> entry : classes.entrySet()) {
            compiled.put(entry.getKey(), entry.getValue().toByteArray());
        }
        return new CompiledClassLoader(classpath, parent, compiled);
    }

    /** Defines classes from bytes compiled in memory. */
    private static final class CompiledClassLoader extends URLClassLoader {

        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> compiled;

        CompiledClassLoader(URL[] classpath, ClassLoader parent, Map<String, byte[]> compiled) {
            super(classpath, parent); // unnamed, so that stack traces read as usual
            this.compiled = compiled;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = compiled.get(name);
            if (bytes == null) {
                return super.findClass(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
