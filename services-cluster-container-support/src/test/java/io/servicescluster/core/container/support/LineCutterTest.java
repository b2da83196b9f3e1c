package io.servicescluster.core.container.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineCutterTest {

    private final List<String> lines = new ArrayList<>();

    private void feed(LineCutter cutter, String text, int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            cutter.accept(bytes, i, Math.min(chunk, bytes.length - i));
        }
    }

    @Test
    void linesAcrossChunksCarriageReturnsAndTheLastLineWithoutEnd() {
        LineCutter cutter = new LineCutter(lines::add, 100);
        feed(cutter, "one\r\ntwo\n\nthree", 2);
        assertThat(lines).containsExactly("one", "two", "");
        cutter.finish();
        assertThat(lines).containsExactly("one", "two", "", "three");
    }

    @Test
    void aLineLongerThanTheBoundIsCutAndSaysHowMuchWasDropped() {
        LineCutter cutter = new LineCutter(lines::add, 10);
        feed(cutter, "0123456789abcdef\nnext\n", 3);
        assertThat(lines).containsExactly("0123456789 … [cut: 6 more bytes]", "next");
    }

    @Test
    void aLineWithoutEndCostsNoMoreThanTheBound() {
        LineCutter cutter = new LineCutter(lines::add);
        byte[] megabyte = new byte[1 << 20];
        java.util.Arrays.fill(megabyte, (byte) 'x');
        for (int i = 0; i < 64; i++) { // 64 MiB, no line feed
            cutter.accept(megabyte, 0, megabyte.length);
        }
        cutter.finish();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).startsWith("xxx").endsWith("[cut: " + ((64L << 20) - LineCutter.MAX_LINE_BYTES)
                + " more bytes]");
        assertThat(lines.getFirst().length()).isLessThan(LineCutter.MAX_LINE_BYTES + 100);
    }
}
