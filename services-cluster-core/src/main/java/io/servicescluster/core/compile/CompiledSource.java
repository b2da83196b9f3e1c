package io.servicescluster.core.compile;

import io.servicescluster.protocol.ControlMessage.ClassFile;
import java.util.List;
import java.util.Objects;

/**
 * What one source service compiled to: the binary name of its public class (the service) and
 * every class file of the compilation unit (nested and secondary classes included). Immutable.
 */
public record CompiledSource(String className, List<ClassFile> classes) {

    public CompiledSource {
        Objects.requireNonNull(className, "className");
        classes = List.copyOf(classes);
    }

    /** The bytes of all class files together. */
    public long size() {
        return classes.stream().mapToLong(ClassFile::size).sum();
    }
}
