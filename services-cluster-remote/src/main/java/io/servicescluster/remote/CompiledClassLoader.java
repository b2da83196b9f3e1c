package io.servicescluster.remote;

import io.servicescluster.protocol.ControlMessage.ClassFile;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Defines the classes that the manager compiled from a service's source, in front of the
 * service's classpath: parent-first as any service loader (the parent is an {@link
 * ApiOnlyClassLoader}), then the compiled classes, then the classpath. Unnamed, so that stack
 * traces read as usual. Thread-safe; parallel capable.
 */
final class CompiledClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> compiled = new HashMap<>();

    CompiledClassLoader(URL[] classpath, ClassLoader parent, List<ClassFile> classes) {
        super(classpath, parent);
        for (ClassFile file : classes) {
            compiled.put(file.name(), file.bytes());
        }
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
