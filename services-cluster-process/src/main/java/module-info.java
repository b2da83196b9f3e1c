/**
 * The {@code process} container kind, the default: a service in a child JVM on this host, with its
 * sandbox, cgroups and AOT training. Exports nothing: the core finds it with
 * {@link java.util.ServiceLoader} ({@code provides} below; on the class path, where everything
 * runs, through the same names in {@code META-INF/services}).
 */
module io.servicescluster.process {
    requires io.servicescluster.core;
    requires io.servicescluster.container.support;
    requires org.slf4j;

    provides io.servicescluster.core.config.ContainerKind
            with io.servicescluster.core.container.process.ProcessKind;
    provides io.servicescluster.core.container.ContainerFactory
            with io.servicescluster.core.container.process.ProcessContainerFactory;
    provides io.servicescluster.core.compile.CompilerSandbox
            with io.servicescluster.core.container.process.ProcessCompilerSandbox;
}
