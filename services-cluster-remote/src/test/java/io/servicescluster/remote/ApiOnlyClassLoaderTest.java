package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.api.Service;
import org.junit.jupiter.api.Test;

/** What a service's code sees through its parent loader: the JDK (tool modules too) and the API, nothing else. */
class ApiOnlyClassLoaderTest {

    private final ApiOnlyClassLoader loader = new ApiOnlyClassLoader(Service.class.getClassLoader());

    @Test
    void apiClassesComeFromTheApiLoader() throws Exception {
        assertThat(loader.loadClass("io.servicescluster.api.Service")).isSameAs(Service.class);
    }

    @Test
    void jdkClassesOfPlatformAndToolModulesAreVisible() throws Exception {
        assertThat(loader.loadClass("java.sql.Connection").getModule().getName()).isEqualTo("java.sql");
        // jdk.compiler is defined to the application loader, not the platform loader
        assertThat(loader.loadClass("com.sun.source.tree.Tree").getModule().getName()).isEqualTo("jdk.compiler");
    }

    @Test
    void theRuntimeTheProtocolAndOtherClassesAreNot() {
        for (String hidden : new String[] {"io.servicescluster.remote.RemoteMain",
            "io.servicescluster.protocol.ControlMessage", "io.servicescluster.api.nested.Thing",
            "org.junit.jupiter.api.Test", "com.sun.no.such.Thing", "Trivial"}) {
            assertThatThrownBy(() -> loader.loadClass(hidden)).as(hidden).isInstanceOf(ClassNotFoundException.class);
        }
    }
}
