package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line splitting without a process: line ends, partial lines, the length limit and UTF-8 cuts. */
class LineOutputStreamTest {

    private final List<String> lines = new ArrayList<>();
    private final LineOutputStream stream = new LineOutputStream(this::take, OutputStream.STDERR);
    private final PrintStream out = new PrintStream(stream, true, StandardCharsets.UTF_8);

    private void take(Output output) {
        assertThat(output.stream()).isEqualTo(OutputStream.STDERR);
        lines.add(output.line());
    }

    @Test
    void splitsOnLineFeedAndDropsTheCarriageReturnBeforeIt() {
        out.print("a\nb\r\n\nc");
        out.write('d');
        assertThat(lines).containsExactly("a", "b", "");
        out.print("\n");
        assertThat(lines).containsExactly("a", "b", "", "cd");
    }

    @Test
    void partialLineIsSentOnCloseOnly() {
        out.print("no end");
        out.flush();
        assertThat(lines).isEmpty();
        out.close();
        assertThat(lines).containsExactly("no end");
    }

    @Test
    void overlongLineIsCutAtACharacterBoundaryWithTheDroppedCount() {
        String prefix = "x".repeat(LineOutputStream.MAX_LINE_BYTES - 1);
        out.println(prefix + "é" + "yz"); // é takes bytes 65535 and 65536: it cannot be kept whole
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).isEqualTo(prefix + " [... 4 bytes dropped: line longer than 65536 bytes]");
        out.println("next");
        assertThat(lines.get(1)).isEqualTo("next");
    }

    @Test
    void multiByteCharactersSurviveBeingWrittenByteByByte() {
        for (byte b : "żółw 🐢\n".getBytes(StandardCharsets.UTF_8)) {
            stream.write(b);
        }
        assertThat(lines).containsExactly("żółw 🐢");
    }
}
