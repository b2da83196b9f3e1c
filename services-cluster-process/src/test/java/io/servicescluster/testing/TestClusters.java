package io.servicescluster.testing;

import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.testing.services.Configurable;
import io.servicescluster.testing.services.Idle;
import io.servicescluster.testing.services.StartCounter;
import io.servicescluster.testing.services.WatchesDependency;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Service specs for tests, whose code is the test services of this module. */
public final class TestClusters {

    private TestClusters() {
    }

    /** The folder (or jar) holding the test services' classes. */
    public static Path testClasses() {
        try {
            return Path.of(Idle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A service running {@link Idle}. */
    public static ServiceSpec.Builder idle(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(Idle.class.getName(), testClasses()));
    }

    /** A service running {@link Configurable}; add settings to choose its behaviour. */
    public static ServiceSpec.Builder configurable(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(Configurable.class.getName(), testClasses()));
    }

    /** A service running {@link StartCounter}, which counts its starts in its work directory. */
    public static ServiceSpec.Builder startCounter(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(StartCounter.class.getName(), testClasses()));
    }

    /** A service running {@link WatchesDependency}, whose start fails if a dependency's process ends during it. */
    public static ServiceSpec.Builder watchesDependency(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass(WatchesDependency.class.getName(), testClasses()));
    }
}
