package io.servicescluster.clusterfile;

import io.servicescluster.clusterfile.ClusterFileParser.CodeChecks;
import io.servicescluster.core.compile.CompileException;
import io.servicescluster.core.compile.SourceCompilations;
import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.config.CodeSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a service's {@code code}: exactly one of {@code class}, {@code source}, {@code file},
 * {@code main} or {@code jar}, each with an optional {@code classpath} and {@code maven}
 * coordinates (resolved with the checks {@link CodeChecks#ENTRIES} and more, see {@link
 * MavenCoordinates}); {@code args} with {@code main} and {@code jar}.
 */
final class CodeReader {

    private static final List<String> KEYS = List.of("class", "classpath", "source", "file", "main", "jar", "args",
            "maven");
    private static final List<String> KINDS = List.of("class", "source", "file", "main", "jar");
    private static final List<String> WITH_ARGS = List.of("main", "jar");
    private static final Pattern BINARY_NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    private final Fields fields;
    private final ClusterPaths paths;
    private final Path clusterFile;
    private final CodeChecks checks;

    CodeReader(Fields fields, ClusterPaths paths, Path clusterFile, CodeChecks checks) {
        this.fields = fields;
        this.paths = paths;
        this.clusterFile = clusterFile;
        this.checks = checks;
    }

    Optional<CodeSpec> read(Field code) {
        Optional<Map<String, Field>> entries = fields.map(code, KEYS);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Field> keys = entries.get();
        List<String> kinds = KINDS.stream().filter(keys::containsKey).toList();
        Optional<List<Path>> classpath = libraries(keys);
        if (keys.containsKey("args") && WITH_ARGS.stream().noneMatch(keys::containsKey)) {
            fields.error(keys.get("args"), "'args' goes with 'main' or 'jar': the arguments of an application's main");
        }
        if (kinds.isEmpty()) {
            fields.error(code, "no code: give one of 'class' (with 'classpath'), 'source', 'file', 'main' or 'jar'");
            return Optional.empty();
        }
        if (kinds.size() > 1) {
            fields.error(keys.get(kinds.get(1)), "more than one kind of code (" + String.join(", ", kinds)
                    + "): give exactly one of 'class', 'source', 'file', 'main' or 'jar'");
            return Optional.empty();
        }
        return switch (kinds.getFirst()) {
            case "class" -> classCode(keys.get("class"), classpath);
            case "source" -> source(keys.get("source"), classpath);
            case "file" -> file(keys.get("file"), classpath);
            case "main", "jar" -> mainCode(keys, classpath);
            default -> throw new AssertionError(kinds);
        };
    }

    /** The {@code classpath} entries, then the jars of the {@code maven} coordinates; empty if either is wrong. */
    private Optional<List<Path>> libraries(Map<String, Field> keys) {
        Optional<List<Path>> entries = Optional.ofNullable(keys.get("classpath")).map(this::classpath)
                .orElse(Optional.of(List.of()));
        Optional<List<Path>> jars = Optional.ofNullable(keys.get("maven"))
                .map(maven -> new MavenCoordinates(fields, checks).jars(maven)).orElse(Optional.of(List.of()));
        return entries.flatMap(e -> jars.map(j -> java.util.stream.Stream.concat(e.stream(), j.stream()).toList()));
    }

    /**
     * An application's {@code main}: {@code main} names its class, or {@code jar} is a jar whose
     * manifest names it (first on the class path); with {@link CodeChecks#CLASSES}, the class must
     * be found and have a {@code public static void main(String[])}.
     */
    private Optional<CodeSpec> mainCode(Map<String, Field> keys, Optional<List<Path>> entries) {
        Optional<Field> mainField = Optional.ofNullable(keys.get("main"));
        Optional<Field> jarField = Optional.ofNullable(keys.get("jar"));
        Optional<String> mainClass = mainField.flatMap(this::className);
        Optional<Path> jar = jarField.flatMap(this::jar);
        Optional<List<String>> args = Optional.ofNullable(keys.get("args")).map(this::args).orElse(Optional.of(List.of()));
        if ((mainField.isPresent() && mainClass.isEmpty()) || (jarField.isPresent() && jar.isEmpty())
                || entries.isEmpty() || args.isEmpty()) {
            return Optional.empty();
        }
        List<Path> all = new ArrayList<>(jar.stream().toList());
        all.addAll(entries.get());
        if (checks == CodeChecks.CLASSES && all.stream().allMatch(e -> ClassPath.problem(e).isEmpty())) {
            ServiceClassCheck.mainProblem(mainClass, all)
                    .ifPresent(p -> fields.error(mainField.or(() -> jarField).orElseThrow(), p));
        }
        return Optional.of(new CodeSpec.MainCode(mainClass, all, args.get()));
    }

    private Optional<String> className(Field field) {
        Optional<String> name = fields.string(field);
        name.filter(n -> !BINARY_NAME.matcher(n).matches()).ifPresent(n ->
                fields.error(field, "'" + n + "' is not a Java class name such as com.example.Store"));
        return name.filter(n -> BINARY_NAME.matcher(n).matches());
    }

    /** The jar of {@code code.jar}: one file, never a wildcard; with checks, it must exist. */
    private Optional<Path> jar(Field field) {
        return fields.string(field).flatMap(text -> {
            if (text.contains("*")) {
                fields.error(field, "'" + text + "': 'jar' is one jar (put more in 'classpath')");
                return Optional.empty();
            }
            return paths.resolve(field, text);
        }).filter(path -> {
            Optional<String> problem = checks == CodeChecks.NONE ? Optional.empty() : ClassPath.problem(path);
            problem.ifPresent(p -> fields.error(field, "'" + path + "' " + p));
            return problem.isEmpty();
        });
    }

    /** The items of {@code args}, each a single value ({@code 8080} as well as {@code "8080"}). */
    private Optional<List<String>> args(Field field) {
        return fields.list(field).flatMap(items -> {
            List<String> out = new ArrayList<>();
            for (Field item : items) {
                if (item.value() instanceof YamlNode.Scalar scalar && scalar.kind() != YamlNode.Scalar.Kind.NULL) {
                    out.add(scalar.text());
                } else {
                    fields.error(item, "an argument is a single value, not " + item.value().describe());
                }
            }
            return out.size() == items.size() ? Optional.of(List.copyOf(out)) : Optional.empty();
        });
    }

    private Optional<CodeSpec> classCode(Field className, Optional<List<Path>> entries) {
        Optional<String> name = fields.string(className);
        name.filter(n -> !BINARY_NAME.matcher(n).matches()).ifPresent(n ->
                fields.error(className, "'" + n + "' is not a Java class name such as com.example.Store"));
        Optional<String> valid = name.filter(n -> BINARY_NAME.matcher(n).matches() && entries.isPresent());
        if (checks == CodeChecks.CLASSES && valid.isPresent()
                && entries.get().stream().allMatch(e -> ClassPath.problem(e).isEmpty())) {
            ServiceClassCheck.problem(valid.get(), entries.get()).ifPresent(p -> fields.error(className, p));
        }
        return valid.map(n -> new CodeSpec.ClassCode(n, entries.get()));
    }

    /**
     * The entries of {@code classpath}, or empty if one is not a path; with {@link CodeChecks#ENTRIES}
     * and more, each entry that does not exist (or a wildcard that matches no jar) is reported too.
     */
    private Optional<List<Path>> classpath(Field classpath) {
        return fields.list(classpath).flatMap(items -> {
            List<Path> out = new ArrayList<>();
            for (Field item : items) {
                fields.string(item).filter(text -> wildcardIsValid(item, text)).flatMap(text -> paths.resolve(item, text))
                        .ifPresent(path -> {
                            out.add(path);
                            if (checks != CodeChecks.NONE) {
                                String text = ((YamlNode.Scalar) item.value()).text();
                                ClassPath.problem(path).ifPresent(p -> fields.error(item, "'" + text + "' " + p
                                        + (Path.of(text).equals(path) ? "" : " (" + path + ")")));
                            }
                        });
            }
            return out.size() == items.size() ? Optional.of(List.copyOf(out)) : Optional.empty();
        });
    }

    /** As with {@code java -cp}, {@code *} is only a whole last segment: {@code lib/*}, never {@code lib/*.jar}. */
    private boolean wildcardIsValid(Field item, String text) {
        int star = text.indexOf('*');
        if (star < 0 || (star == text.length() - 1 && (star == 0 || text.charAt(star - 1) == '/'))) {
            return true;
        }
        fields.error(item, "'" + text + "': a wildcard is a whole last segment, 'folder/*' (every jar in the "
                + "folder, as with java -cp)");
        return false;
    }

    private Optional<CodeSpec> source(Field source, Optional<List<Path>> classpath) {
        Optional<String> text = fields.string(source);
        text.filter(String::isBlank).ifPresent(t -> fields.error(source, "the source is empty"));
        String sourceName = clusterFile.getFileName() + "[" + source.key() + "]";
        return text.filter(t -> !t.isBlank()).flatMap(t -> classpath.map(c -> new CodeSpec.SourceCode(t, sourceName, c)))
                .filter(code -> compiles(source, code)).map(CodeSpec.class::cast);
    }

    /**
     * With {@link CodeChecks#CLASSES}, whether the source compiles, as the manager will compile it
     * (the same compiler and cache: a check warms the run); its errors are the field's, with
     * javac's lines. Without, or with a classpath entry already reported, true.
     */
    private boolean compiles(Field field, CodeSpec.SourceCode code) {
        if (checks != CodeChecks.CLASSES || !code.classpath().stream().allMatch(e -> ClassPath.problem(e).isEmpty())) {
            return true;
        }
        try {
            SourceCompilations.shared().compile(code.source(), code.sourceName(), ClassPath.expand(code.classpath()));
            return true;
        } catch (CompileException | FileNotFoundException e) {
            fields.error(field, e.getMessage().stripTrailing());
            return false;
        }
    }

    private Optional<CodeSpec> file(Field file, Optional<List<Path>> classpath) {
        Optional<Path> path = fields.string(file).flatMap(name -> {
            if (!name.endsWith(".java")) {
                fields.error(file, "'" + name + "' is not a .java file");
                return Optional.empty();
            }
            return paths.resolve(file, name);
        });
        return path.flatMap(p -> {
            try {
                String source = Files.readString(p);
                return classpath.map(c -> new CodeSpec.SourceCode(source, p.getFileName().toString(), c))
                        .filter(code -> compiles(file, code)).map(CodeSpec.class::cast);
            } catch (NoSuchFileException e) {
                fields.error(file, "cannot read '" + p + "': no such file");
            } catch (CharacterCodingException e) {
                fields.error(file, "cannot read '" + p + "': not UTF-8 text");
            } catch (IOException e) {
                fields.error(file, "cannot read '" + p + "': " + ClusterPaths.reason(e));
            }
            return Optional.empty();
        });
    }
}
