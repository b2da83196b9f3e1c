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
 * i32} length) and exits. Its first argument is its deadline in milliseconds, after which it ends
 * itself, as it does as soon as its parent is gone (the second argument, if any, names that
 * parent: the manager, unless a sandbox stands between): the manager kills it then too, but a manager
 * killed with {@code kill -9} cannot (R11).
 * Internal: not an API.
 */
final class CompilerMain {

    /** How often it looks whether its parent still lives: a dead manager's compiler ends within this. */
    private static final long PARENT_CHECK_MILLIS = 250;

    private CompilerMain() {
    }

    private static long parent() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    public static void main(String[] args) throws IOException {
        long deadline = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000;
        // the manager's pid where it is this process's parent (no sandbox): it may have died
        // before this line, and this process been given another parent already
        long parent = args.length > 1 ? Long.parseLong(args[1]) : parent();
        Thread.ofPlatform().daemon().name("deadline").start(() -> {
            // the parent is the manager, or bwrap's init (which bwrap --die-with-parent ends with
            // the manager); without a sandbox nothing else ends this process when the manager dies.
            // An orphan is given another parent at once, while its dead one may linger as a zombie
            try {
                while (System.nanoTime() < deadline && parent() == parent) {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                }
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
