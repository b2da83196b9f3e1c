package io.servicescluster.core.compile;

import io.servicescluster.protocol.ControlMessage.ClassFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of a {@link CompiledSource}: its public class, its class files, and the SHA-256 of
 * what precedes it, so that a torn or altered copy reads as absent. The form of a {@link
 * ClassCache} entry and of what a {@link CompilerMain} answers. Needs nothing but the JDK and
 * the protocol's {@code ClassFile} (the compiler's own process loads no logging).
 */
final class ClassesForm {

    private static final int MAGIC = 0x53564343; // "SVCC"
    private static final int FORMAT = 1;

    private ClassesForm() {
    }

    static byte[] encode(CompiledSource compiled) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(compiled.className());
            out.writeInt(compiled.classes().size());
            for (ClassFile file : compiled.classes()) {
                out.writeUTF(file.name());
                byte[] content = file.bytes();
                out.writeInt(content.length);
                out.write(content);
            }
            out.write(sha256(bytes.toByteArray()));
        }
        return bytes.toByteArray();
    }

    /** The entry in {@code bytes}, or empty if its checksum or form is wrong. */
    static Optional<CompiledSource> decode(byte[] bytes) {
        int body = bytes.length - 32;
        if (body < 0 || !Arrays.equals(sha256(Arrays.copyOf(bytes, body)), Arrays.copyOfRange(bytes, body, bytes.length))) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, body))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                return Optional.empty();
            }
            String className = in.readUTF();
            int count = in.readInt();
            List<ClassFile> classes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                classes.add(new ClassFile(name, in.readNBytes(in.readInt())));
            }
            return in.available() == 0 ? Optional.of(new CompiledSource(className, classes)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        return ContentDigests.sha256().digest(bytes);
    }
}
