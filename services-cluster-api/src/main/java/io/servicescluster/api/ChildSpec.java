package io.servicescluster.api;

import java.util.Map;
import java.util.Objects;

/**
 * What a parent service {@link ServiceContext#spawn spawns} at run time (R8): a name and the code
 * to run, given either as a class name (resolved on the parent's classpath) or as Java source.
 * Immutable.
 */
public final class ChildSpec {

    /** How the child's code is given. */
    public enum CodeKind { CLASS, SOURCE }

    private final String name;
    private final CodeKind codeKind;
    private final String code;
    private final Map<String, String> settings;

    private ChildSpec(String name, CodeKind codeKind, String code, Map<String, String> settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.codeKind = codeKind;
        this.code = Objects.requireNonNull(code, "code");
        this.settings = Map.copyOf(settings);
    }

    /** A child whose code is a Java compilation unit with one public class implementing {@link Service}. */
    public static ChildSpec ofSource(String name, String javaSource) {
        return new ChildSpec(name, CodeKind.SOURCE, javaSource, Map.of());
    }

    /** A child whose code is a class implementing {@link Service} on the parent's classpath. */
    public static ChildSpec ofClass(String name, String className) {
        return new ChildSpec(name, CodeKind.CLASS, className, Map.of());
    }

    /** A copy of this spec with these settings. */
    public ChildSpec withSettings(Map<String, String> settings) {
        return new ChildSpec(name, codeKind, code, settings);
    }

    /** The child's name (R1); unique in the cluster (R2). */
    public String name() {
        return name;
    }

    /** Whether {@link #code()} is a class name or Java source. */
    public CodeKind codeKind() {
        return codeKind;
    }

    /** The class name or the Java source, as {@link #codeKind()} says. */
    public String code() {
        return code;
    }

    /** The child's settings; unmodifiable. */
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "ChildSpec[" + name + ", " + codeKind + "]";
    }
}
