package io.servicescluster.core.config;

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

/** Reads a service's {@code code}: exactly one of {@code class} (+ {@code classpath}), {@code source}, {@code file}. */
final class CodeReader {

    private static final List<String> KEYS = List.of("class", "classpath", "source", "file");
    private static final List<String> KINDS = List.of("class", "source", "file");
    private static final Pattern BINARY_NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    private final Fields fields;
    private final ClusterPaths paths;
    private final Path clusterFile;

    CodeReader(Fields fields, ClusterPaths paths, Path clusterFile) {
        this.fields = fields;
        this.paths = paths;
        this.clusterFile = clusterFile;
    }

    Optional<CodeSpec> read(Field code) {
        Optional<Map<String, Field>> entries = fields.map(code, KEYS);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Field> keys = entries.get();
        List<String> kinds = KINDS.stream().filter(keys::containsKey).toList();
        if (keys.containsKey("classpath") && !keys.containsKey("class")) {
            fields.error(keys.get("classpath"), "'classpath' goes with 'class': it says where the class is");
        }
        if (kinds.isEmpty()) {
            fields.error(code, "no code: give one of 'class' (with 'classpath'), 'source' or 'file'");
            return Optional.empty();
        }
        if (kinds.size() > 1) {
            fields.error(keys.get(kinds.get(1)), "more than one kind of code (" + String.join(", ", kinds)
                    + "): give exactly one of 'class', 'source' or 'file'");
            return Optional.empty();
        }
        return switch (kinds.getFirst()) {
            case "class" -> classCode(keys.get("class"), Optional.ofNullable(keys.get("classpath")));
            case "source" -> source(keys.get("source"));
            case "file" -> file(keys.get("file"));
            default -> throw new AssertionError(kinds);
        };
    }

    private Optional<CodeSpec> classCode(Field className, Optional<Field> classpath) {
        Optional<String> name = fields.string(className);
        name.filter(n -> !BINARY_NAME.matcher(n).matches()).ifPresent(n ->
                fields.error(className, "'" + n + "' is not a Java class name such as com.example.Store"));
        List<Path> entries = new ArrayList<>();
        boolean pathsOk = classpath.map(cp -> paths.list(cp).map(entries::addAll).isPresent()).orElse(true);
        return name.filter(n -> BINARY_NAME.matcher(n).matches() && pathsOk)
                .map(n -> new CodeSpec.ClassCode(n, entries));
    }

    private Optional<CodeSpec> source(Field source) {
        Optional<String> text = fields.string(source);
        text.filter(String::isBlank).ifPresent(t -> fields.error(source, "the source is empty"));
        String sourceName = clusterFile.getFileName() + "[" + source.key() + "]";
        return text.filter(t -> !t.isBlank()).map(t -> new CodeSpec.SourceCode(t, sourceName));
    }

    private Optional<CodeSpec> file(Field file) {
        Optional<Path> path = fields.string(file).flatMap(name -> {
            if (!name.endsWith(".java")) {
                fields.error(file, "'" + name + "' is not a .java file");
                return Optional.empty();
            }
            return paths.resolve(file, name);
        });
        return path.flatMap(p -> {
            try {
                return Optional.of(new CodeSpec.SourceCode(Files.readString(p), p.getFileName().toString()));
            } catch (NoSuchFileException e) {
                fields.error(file, "cannot read '" + p + "': no such file");
            } catch (CharacterCodingException e) {
                fields.error(file, "cannot read '" + p + "': not UTF-8 text");
            } catch (IOException e) {
                fields.error(file, "cannot read '" + p + "': " + e);
            }
            return Optional.empty();
        });
    }
}
