package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.CleanReport;
import io.servicescluster.core.container.CleanScope;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.RemoteRuntime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code docker} containers: each start of a service runs in a fresh Docker container
 * (docs/docker.md). Found by {@link java.util.ServiceLoader} when this module is on the class
 * path; the public no-argument constructor reads {@link DockerSettings#fromEnvironment()} and
 * connects to the engine only when a container is first created.
 */
public final class DockerContainerFactory implements ContainerFactory {

    private static final Logger log = LoggerFactory.getLogger(DockerContainerFactory.class);

    private final DockerSettings settings;
    private final DockerEngine engine = new DockerEngine();
    private final AtomicBoolean orphansRemoved = new AtomicBoolean();
    private volatile RemoteRuntime runtime;

    /** The factory {@link java.util.ServiceLoader} makes: settings from the environment. */
    public DockerContainerFactory() {
        this(DockerSettings.fromEnvironment(), null);
    }

    /** A factory with these settings and the remote runtime of this manager's class path. */
    public DockerContainerFactory(DockerSettings settings) {
        this(settings, null);
    }

    /**
     * @param runtime the remote runtime to mount into containers (its {@code java} is replaced by
     *     the image's, unless {@link DockerSettings#hostJdk()}); null: this manager's class path
     */
    public DockerContainerFactory(DockerSettings settings, RemoteRuntime runtime) {
        this.settings = settings;
        this.runtime = runtime;
    }

    @Override
    public String kind() {
        return DockerKind.NAME;
    }

    /** The settings this factory runs containers with. */
    public DockerSettings settings() {
        return settings;
    }

    @Override
    public ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment) {
        return new DockerContainer(service, environment, this);
    }

    DockerEngine engine() {
        return engine;
    }

    RemoteRuntime runtime() {
        RemoteRuntime known = runtime;
        if (known == null) {
            known = RemoteRuntime.detect(); // the process containers' class-data folder: same JDK, same archive
            runtime = known;
        }
        return known;
    }

    /**
     * Once per factory, before its first container: removes the containers that dead managers
     * on this host left behind (their remotes have exited already; see docs/docker.md).
     */
    void removeOrphansOnce() throws ContainerException {
        if (orphansRemoved.compareAndSet(false, true)) {
            int removed = Labels.removeOrphans(engine.client(), Optional.empty()).size();
            if (removed > 0) {
                log.info("removed {} container(s) left by managers that died", removed);
            }
        }
    }

    /**
     * {@code svc clean}: the containers that dead managers of this host left for the cluster on
     * the engine of {@code DOCKER_HOST} (the one engine this kind uses). An engine that does not
     * answer is a failure when the cluster has docker services or {@code DOCKER_HOST} names it,
     * else there is simply nothing of this kind to clean.
     */
    @Override
    public void clean(CleanScope scope, CleanReport report) {
        DockerClient docker;
        try {
            docker = engine.client();
        } catch (ContainerException e) {
            if (!scope.servicesOf(kind()).isEmpty() || System.getenv("DOCKER_HOST") != null) {
                report.failed("docker", e.getMessage());
            }
            return;
        }
        try {
            Labels.removeOrphans(docker, scope.cluster()).forEach(what -> report.removed(engine.host(), what));
        } catch (RuntimeException e) {
            report.failed(engine.host(), "cannot list its containers: " + DockerEngine.describe(e));
        }
    }
}
