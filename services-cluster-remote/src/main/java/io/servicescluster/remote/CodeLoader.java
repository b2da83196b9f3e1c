package io.servicescluster.remote;

import io.servicescluster.api.Service;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a {@link Code} message into a {@link Service} instance: a class from {@code classpath},
 * or the classes the manager compiled from the service's source, defined by a {@link
 * CompiledClassLoader} (an application's {@code main}: {@link ApplicationMain}). The remote
 * compiles nothing. Either way the service gets its own class loader whose parent is an {@link
 * ApiOnlyClassLoader}.
 *
 * <p>Threading: called on the start thread; stateless.
 */
final class CodeLoader {

    /** A service instance and the loader of its code (the context loader for start and close). */
    record Loaded(Service service, ClassLoader loader) {
    }

    private CodeLoader() {
    }

    /**
     * Loads and instantiates the service.
     *
     * @throws StartFailure with a message for the user when the code cannot become a service
     */
    static Loaded load(Code code) throws StartFailure {
        return instantiated(serviceClass(code));
    }

    /**
     * Loads the service's class in a class loader of its own, not initialised: no code of the
     * service runs (what a remote does with code that came before its start).
     *
     * @throws StartFailure with a message for the user when the class cannot be loaded
     */
    static Class<?> serviceClass(Code code) throws StartFailure {
        if (code.kind() == CodeKind.COMPILED) {
            URL[] urls = urls(code.classpath());
            ClassLoader parent = new ApiOnlyClassLoader(Service.class.getClassLoader());
            return find(code.classNameOrSource(), code.classpath(), new CompiledClassLoader(urls, parent, code.classes()));
        }
        return serviceClass(code.classNameOrSource(), code.classpath());
    }

    /** {@link #serviceClass(Code)} of a class service: {@code className} from the jars and folders of {@code classpath}. */
    static Class<?> serviceClass(String className, List<String> classpath) throws StartFailure {
        URL[] urls = urls(classpath);
        ClassLoader parent = new ApiOnlyClassLoader(Service.class.getClassLoader());
        return find(className, classpath, new URLClassLoader(urls, parent));
    }

    /** The service made from its class (of {@link #serviceClass}): its constructor runs. */
    static Loaded instantiated(Class<?> type) throws StartFailure {
        return new Loaded(instantiate(type), type.getClassLoader());
    }

    /** The class {@code className} in {@code loader}, not initialised. */
    static Class<?> find(String className, List<String> classpath, ClassLoader loader) throws StartFailure {
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new StartFailure("class " + className + " not found on the service's classpath " + classpath);
        } catch (LinkageError e) {
            throw new StartFailure("class " + className + " cannot be loaded: " + Failures.stackTrace(e));
        }
    }

    private static Service instantiate(Class<?> type) throws StartFailure {
        String name = type.getName();
        if (!Service.class.isAssignableFrom(type)) {
            throw new StartFailure("class " + name + " does not implement " + Service.class.getName());
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new StartFailure("class " + name + " must be public and not abstract to run as a service");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new StartFailure("class " + name + " has no public no-argument constructor");
        }
        try {
            return (Service) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new StartFailure("the constructor of " + name + " threw " + Failures.stackTrace(e.getCause()));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new StartFailure("class " + name + " cannot be instantiated: " + Failures.stackTrace(e));
        }
    }

    static URL[] urls(List<String> classpath) throws StartFailure {
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = Path.of(classpath.get(i)).toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException | RuntimeException e) {
                throw new StartFailure("bad classpath entry '" + classpath.get(i) + "': " + e.getMessage());
            }
        }
        return urls;
    }
}
