package io.servicescluster.clusterfile;

import io.servicescluster.api.Service;
import io.servicescluster.core.config.ClassPath;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * For {@code svc check}: whether a service's class is on its classpath and can run as a service
 * (public, not abstract, implements {@link Service}, a public no-argument constructor), the way the
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
        List<Path> entries;
        try {
            entries = ClassPath.expand(classpath);
        } catch (FileNotFoundException e) {
            return Optional.empty(); // the entry is reported on its own line
        }
        try (URLClassLoader loader = new URLClassLoader(urls(entries), new ApiOnly())) {
            Class<?> type = Class.forName(className, false, loader);
            if (!Service.class.isAssignableFrom(type)) {
                return Optional.of("class " + className + " does not implement " + Service.class.getName());
            }
            if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
                return Optional.of("class " + className + " must be public and not abstract to run as a service");
            }
            type.getConstructor();
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.of("class " + className + " is not on the classpath" + similar(className, entries));
        } catch (NoSuchMethodException e) {
            return Optional.of("class " + className + " has no public no-argument constructor");
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
