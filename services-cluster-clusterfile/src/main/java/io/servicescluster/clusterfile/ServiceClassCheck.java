package io.servicescluster.clusterfile;

import io.servicescluster.api.Service;
import io.servicescluster.core.config.ClassPath;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * For {@code svc check}: whether a service's class is on its classpath and can run as a service
 * (public, not abstract, implements {@link Service}, a public no-argument constructor), or an
 * application's class has its {@code main}, the way the
 * remote will load it — in a class loader of its own whose parent sees the JDK and the service API
 * only — but without initialising it, so none of the service's code runs. Stateless.
 */
final class ServiceClassCheck {

    /** The most class names read for a "did you mean": enough for any application, bounded for a huge one. */
    private static final int MAX_NAMES = 200_000;

    private ServiceClassCheck() {
    }

    /** What keeps {@code className} from running as a service, as a sentence; empty if nothing does. */
    static Optional<String> problem(String className, List<Path> classpath) {
        return check(className, classpath, type -> {
            if (!Service.class.isAssignableFrom(type)) {
                return Optional.of("class " + className + " does not implement " + Service.class.getName());
            }
            if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
                return Optional.of("class " + className + " must be public and not abstract to run as a service");
            }
            return hasMethod(() -> type.getConstructor()) ? Optional.empty()
                    : Optional.of("class " + className + " has no public no-argument constructor");
        });
    }

    /**
     * What keeps an application from running (SPEC §4 {@code code.main}, {@code code.jar}): its
     * class ({@code mainClass}, else the {@code Main-Class} of the jar first on {@code classpath})
     * is not found or has no {@code public static void main(String[])}; empty if nothing does.
     */
    static Optional<String> mainProblem(Optional<String> mainClass, List<Path> classpath) {
        Optional<String> className = mainClass.or(() -> manifestMainClass(classpath.getFirst()));
        if (className.isEmpty()) {
            return Optional.of("the jar " + classpath.getFirst() + " names no Main-Class in its manifest: "
                    + "name the class with 'main' (and the jar in 'classpath')");
        }
        String name = className.get();
        return check(name, classpath, type -> hasMethod(() -> {
            Method main = type.getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers()) || main.getReturnType() != void.class) {
                throw new NoSuchMethodException("main");
            }
        }) ? Optional.empty() : Optional.of("class " + name + " has no public static void main(String[])"));
    }

    private static boolean hasMethod(Lookup lookup) {
        try {
            lookup.find();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Finds a method or constructor, or throws. */
    @FunctionalInterface
    private interface Lookup {
        void find() throws NoSuchMethodException;
    }

    /** The {@code Main-Class} of {@code jar}'s manifest, if it names one. */
    private static Optional<String> manifestMainClass(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return Optional.ofNullable(manifest == null ? null
                    : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS)).map(String::trim)
                    .filter(n -> !n.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Loads {@code className} from {@code classpath} as the remote would, uninitialised, and applies {@code rule}. */
    private static Optional<String> check(String className, List<Path> classpath,
            Function<Class<?>, Optional<String>> rule) {
        List<Path> entries;
        try {
            entries = ClassPath.expand(classpath);
        } catch (FileNotFoundException e) {
            return Optional.empty(); // the entry is reported on its own line
        }
        try (URLClassLoader loader = new URLClassLoader(urls(entries), new ApiOnly())) {
            return rule.apply(Class.forName(className, false, loader));
        } catch (ClassNotFoundException e) {
            return Optional.of("class " + className + " is not on the classpath" + similar(className, entries));
        } catch (LinkageError e) {
            return Optional.of("class " + className + " cannot be loaded (is a jar missing from the classpath?): " + e);
        } catch (IOException | UncheckedIOException e) {
            return Optional.of("the classpath cannot be read: " + e.getMessage());
        }
    }

    /** {@code ; did you mean 'x'?} for a class of the same simple name, or one spelt alike; else empty. */
    private static String similar(String className, List<Path> entries) {
        List<String> names;
        try {
            names = classNames(entries);
        } catch (IOException | UncheckedIOException e) {
            return ""; // a suggestion is a nicety
        }
        String simple = className.substring(className.lastIndexOf('.') + 1);
        Optional<String> sameSimpleName = names.stream()
                .filter(n -> n.substring(n.lastIndexOf('.') + 1).equals(simple)).findFirst();
        return sameSimpleName.map(n -> "; did you mean '" + n + "'?").orElseGet(() -> Fields.suggestion(className, names));
    }

    /** The top-level classes in the class folders and jars of {@code entries}. */
    private static List<String> classNames(List<Path> entries) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    files.limit(MAX_NAMES).forEach(f -> addClass(names, entry.relativize(f).toString()));
                }
            } else {
                try (ZipFile jar = new ZipFile(entry.toFile())) {
                    jar.stream().limit(MAX_NAMES).map(ZipEntry::getName).forEach(n -> addClass(names, n));
                }
            }
        }
        return names;
    }

    private static void addClass(List<String> names, String file) {
        if (file.endsWith(".class") && !file.contains("$") && !file.startsWith("META-INF")
                && !file.endsWith("-info.class")) {
            names.add(file.substring(0, file.length() - ".class".length()).replace('/', '.').replace('\\', '.'));
        }
    }

    private static URL[] urls(List<Path> entries) {
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad classpath entry " + entries.get(i), e);
            }
        }
        return urls;
    }

    /** Sees the JDK and {@code io.servicescluster.api}, as the remote's service loaders do. */
    private static final class ApiOnly extends ClassLoader {

        private static final String API_PACKAGE = Service.class.getPackageName() + ".";

        ApiOnly() {
            super(ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(API_PACKAGE) && name.indexOf('.', API_PACKAGE.length()) < 0) {
                return Service.class.getClassLoader().loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
