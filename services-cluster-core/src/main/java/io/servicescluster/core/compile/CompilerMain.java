package io.servicescluster.core.compile;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiler process of a {@link ConfinedCompiler}: reads one request from stdin ({@code UTF
 * sourceName}, {@code i32} length and the source in UTF-8, {@code i32} count and each class path
 * entry as {@code UTF}), compiles it with a {@link JavacCompiler}, answers on stdout ({@code u8}
 * 0 and the {@link ClassesForm} of the classes, or 1 and javac's report, each after an {@code
 * i32} length) and exits. Its one argument is its deadline in milliseconds, after which it ends
 * itself: the manager kills it then too, but a manager killed with {@code kill -9} cannot (R11).
 * Internal: not an API.
 */
final class CompilerMain {

    private CompilerMain() {
    }

    public static void main(String[] args) throws IOException {
        long deadline = Long.parseLong(args[0]);
        Thread.ofPlatform().daemon().name("deadline").start(() -> {
            try {
                Thread.sleep(deadline);
            } catch (InterruptedException e) {
                // ends with the compilation
            }
            Runtime.getRuntime().halt(4);
        });
        DataOutputStream answer = new DataOutputStream(
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(System.err); // stdout carries the answer alone
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        String sourceName = in.readUTF();
        String source = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
        List<Path> classpath = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            classpath.add(Path.of(in.readUTF()));
        }
        byte[] body;
        try {
            body = ClassesForm.encode(new JavacCompiler().compile(source, sourceName, classpath, "this one"));
            answer.writeByte(0);
        } catch (CompileException e) {
            body = e.getMessage().getBytes(StandardCharsets.UTF_8);
            answer.writeByte(1);
        }
        answer.writeInt(body.length);
        answer.write(body);
        answer.flush();
    }
}
