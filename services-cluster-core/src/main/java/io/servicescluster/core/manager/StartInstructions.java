package io.servicescluster.core.manager;

import io.servicescluster.core.compile.CompiledSource;
import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.protocol.Capabilities;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.Spawn;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the decision loop tells a remote when it starts it, and what a spawned child is: pure
 * functions of the nodes, kept out of the loop so that the loop holds only decisions.
 */
final class StartInstructions {

    private StartInstructions() {
    }

    /** Where each dependency runs and the capability that lets {@code node} in (R6, R15). */
    static List<PeerUp> dependencyEndpoints(ServiceNode node) {
        List<PeerUp> peers = new ArrayList<>();
        for (ServiceNode dependency : node.dependencies) {
            peers.add(new PeerUp(dependency.name(), dependency.remote.dataEndpoint(),
                    Capabilities.capability(dependency.capabilityKey, node.name())));
        }
        return peers;
    }

    /**
     * The child's spec: its code (a class or source, with the parent's classpath), {@code dependsOn}
     * its parent, and everything else the parent's — container kind, permissions (so that a
     * confined parent cannot escape through a child), resources, JVM options, environment, timeouts — but restart
     * {@code never}: a child lives for one run of its parent.
     */
    static ServiceSpec childSpec(ServiceNode parent, Spawn request) {
        List<Path> classpath = parent.spec.code().classpath();
        CodeSpec code = request.codeKind() == CodeKind.CLASS
                ? new CodeSpec.ClassCode(request.classNameOrSource(), classpath)
                : new CodeSpec.SourceCode(request.classNameOrSource(), "spawned " + request.childName(), classpath);
        ServiceSpec p = parent.spec;
        return new ServiceSpec(request.childName(), List.of(p.name()), code, p.container(), request.settings(),
                p.permissions(), p.resources(), RestartPolicy.NEVER, p.startTimeout(), p.closeTimeout(), p.options(),
                p.jvm(), Optional.empty(), p.env(), p.unconfined()); // a confined parent cannot escape through a child
    }

    /**
     * The class path of one start of {@code spec}, each {@code folder/*} replaced by the jars in
     * the folder now (as {@code java -cp} does at each launch); for source code, the libraries it
     * is compiled against.
     * (A jar's {@code Main-Class} code keeps its jar first, which is never a wildcard.)
     *
     * @throws ContainerException naming the entry that does not exist, or the wildcard that matches no jar
     */
    static List<Path> classpath(ServiceSpec spec) throws ContainerException {
        try {
            return ClassPath.expand(spec.code().classpath());
        } catch (FileNotFoundException e) {
            throw new ContainerException("cannot start '" + spec.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The service's identity, settings, work directory and code (with {@code classpath}, its class
     * path for this start), and {@code capabilityKey}, the key its dependents' capabilities derive
     * from for this start. For source code,
     * a {@link CodeKind#COMPILED} code still without its classes: {@link #withClasses} adds them
     * once the manager compiled the source (off the loop; this part reads the node, on the loop).
     */
    static Code code(ServiceNode node, List<Path> classpath, String capabilityKey) {
        String workDir = node.workDir.toString();
        List<String> dependsOn = node.spec.dependsOn();
        return switch (node.spec.code()) {
            case CodeSpec.ClassCode c -> new Code(node.name(), node.spec.settings(), workDir, CodeKind.CLASS,
                    c.className(), "", classpath.stream().map(Path::toString).toList(), dependsOn,
                    capabilityKey);
            case CodeSpec.SourceCode s -> new Code(node.name(), node.spec.settings(), workDir, CodeKind.COMPILED,
                    "", s.sourceName(), classpath.stream().map(Path::toString).toList(), dependsOn,
                    capabilityKey);
            case CodeSpec.MainCode m -> new Code(node.name(), node.spec.settings(), workDir, CodeKind.MAIN,
                    m.mainClass().orElse(""), "", classpath.stream().map(Path::toString).toList(), dependsOn,
                    capabilityKey, m.args());
        };
    }

    /** {@code code} (of {@link #code}) with the public class and class files of its compiled source. */
    static Code withClasses(Code code, CompiledSource compiled) {
        return new Code(code.serviceName(), code.settings(), code.workDir(), CodeKind.COMPILED, compiled.className(),
                code.sourceName(), code.classpath(), code.dependsOn(), code.capabilityKey(), code.args(),
                compiled.classes());
    }
}
