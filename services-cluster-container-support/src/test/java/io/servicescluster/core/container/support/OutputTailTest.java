package io.servicescluster.core.container.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output tail every kind keeps of a remote's JVM: the out-of-memory mark is the line a real
 * JVM with the remote runtime's flags writes when it runs out of heap (both kinds report such a
 * crash as out of memory through it), and the tail keeps the last lines for messages.
 */
class OutputTailTest {

    @TempDir
    Path cacheDir;

    @Test
    void aJvmWithTheRuntimesFlagsThatRunsOutOfHeapIsSeenOutOfMemory() throws Exception {
        List<String> flags = RemoteRuntime.detect(cacheDir).withoutClassData().jvmOptions();
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(flags);
        command.addAll(List.of("-Xmx16m", "-cp", testClasses(), HeapHog.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        OutputTail tail = new OutputTail();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                tail.add(line);
            }
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        tail.end();

        assertThat(process.exitValue()).isNotZero();
        assertThat(tail.outOfMemory()).as("output:%s", tail.summary()).isTrue();
        assertThat(tail.ended()).isDone();
    }

    @Test
    void anOrdinaryCrashIsNotOutOfMemory() {
        OutputTail tail = new OutputTail();
        tail.add("Exception in thread \"main\" java.lang.IllegalStateException: no");
        tail.add("java.lang.OutOfMemoryError: Java heap space"); // thrown and caught: the JVM did not end for it

        assertThat(tail.outOfMemory()).isFalse();
        assertThat(tail.ended()).isNotDone();
    }

    @Test
    void keepsTheLastLinesForMessages() {
        OutputTail tail = new OutputTail();
        assertThat(tail.summary()).isEmpty();

        IntStream.rangeClosed(1, OutputTail.LINES + 5).forEach(i -> tail.add("line " + i));

        assertThat(tail.summary()).startsWith("; it wrote:\n  line 6\n").endsWith("\n  line 25")
                .doesNotContain("line 5\n");
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String testClasses() throws URISyntaxException {
        return Path.of(HeapHog.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
