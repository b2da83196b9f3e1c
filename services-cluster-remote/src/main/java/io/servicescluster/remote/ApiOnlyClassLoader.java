package io.servicescluster.remote;

import java.net.URL;
import java.util.HashSet;
import java.util.Set;

/**
 * The parent of every service class loader: it sees the JDK and the {@code io.servicescluster.api}
 * package, nothing else, so the runtime's own classes and the protocol never leak into user code
 * (and a user's library can never clash with them).
 *
 * <p>JDK classes come from the platform loader, or from the application loader when they belong to
 * a JDK module defined to it (tools such as {@code jdk.compiler}); API classes come from the loader
 * that loaded {@link io.servicescluster.api.Service}. Thread-safe; parallel capable.
 */
final class ApiOnlyClassLoader extends ClassLoader {

    private static final String API_PACKAGE = "io.servicescluster.api.";
    private static final String API_RESOURCES = "io/servicescluster/api/";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader apiLoader;
    private volatile Set<String> appJdkPackages;

    ApiOnlyClassLoader(ClassLoader apiLoader) {
        super("services-cluster-api", ClassLoader.getPlatformClassLoader());
        this.apiLoader = apiLoader;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE) && name.indexOf('.', API_PACKAGE.length()) < 0) {
            return apiLoader.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    /**
     * Reached when the platform loader does not know {@code name}: a tool module's class, or
     * nothing. Only names in the JDK's own name spaces are looked up among the tool modules'
     * packages — the first lookup lists them all, which every service's own classes (which come
     * this way first, parent-first) need not pay for.
     */
    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        int dot = name.lastIndexOf('.');
        if (dot > 0 && inJdkNameSpace(name) && appJdkPackages().contains(name.substring(0, dot))) {
            return apiLoader.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }

    /** The prefixes of every package of a JDK module defined to the application loader. */
    private static boolean inJdkNameSpace(String name) {
        return name.startsWith("com.sun.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("java.") || name.startsWith("javax.");
    }

    @Override
    protected URL findResource(String name) {
        return name.startsWith(API_RESOURCES) ? apiLoader.getResource(name) : null;
    }

    private Set<String> appJdkPackages() {
        Set<String> packages = appJdkPackages;
        if (packages == null) {
            packages = new HashSet<>();
            ClassLoader app = ClassLoader.getSystemClassLoader();
            for (Module module : ModuleLayer.boot().modules()) {
                if (module.getClassLoader() == app) {
                    packages.addAll(module.getPackages());
                }
            }
            appJdkPackages = packages;
        }
        return packages;
    }
}
