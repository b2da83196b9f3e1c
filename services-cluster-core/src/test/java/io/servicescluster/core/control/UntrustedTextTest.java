package io.servicescluster.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UntrustedTextTest {

    @Test
    void controlCharactersBecomeVisibleEscapes() {
        String forged = "ok\r\nvictim    * crashed (forged)\u001b[2J\u009b31m\u202eevil\u2028x\u0000\u007f";
        assertThat(UntrustedText.escape(forged)).isEqualTo(
                "ok\\u000d\\u000avictim    * crashed (forged)\\u001b[2J\\u009b31m\\u202eevil\\u2028x\\u0000\\u007f");
        assertThat(UntrustedText.escape(forged)).doesNotContain("\r", "\n", "\u001b", "\u009b", "\u202e");
    }

    @Test
    void printableTextTabsAndUnicodeStayAsTheyAre() {
        String text = "naïve ✓ 𝄞 a\tb – \\u001b literally";
        assertThat(UntrustedText.escape(text)).isSameAs(text);
    }

    @Test
    void keepingLinesKeepsLineFeedsOnly() {
        assertThat(UntrustedText.escapeKeepingLines("Boom\n\tat A.b(A.java:1)\r\u001b[K"))
                .isEqualTo("Boom\n\tat A.b(A.java:1)\\u000d\\u001b[K");
    }

    @Test
    void cutsAtTheLimitWithAMarkerSayingHowMuch() {
        String big = "x".repeat(100_000);
        String cut = UntrustedText.cut(big, UntrustedText.MAX_BYTES);
        assertThat(cut).startsWith("x".repeat(UntrustedText.MAX_BYTES))
                .endsWith(" … [cut: " + (100_000 - UntrustedText.MAX_BYTES) + " bytes]");
        assertThat(UntrustedText.cut("short", 10)).isEqualTo("short");
        assertThat(UntrustedText.cut("x".repeat(10), 10)).isEqualTo("x".repeat(10));
    }

    @Test
    void neverCutsInsideACharacter() {
        String text = "é".repeat(10) + "𝄞".repeat(10); // 20 bytes, then 40
        String cut = UntrustedText.cut(text, 23);
        assertThat(cut).isEqualTo("é".repeat(10) + " … [cut: 40 bytes]");
        assertThat(UntrustedText.cut(text, 26)).isEqualTo("é".repeat(10) + "𝄞" + " … [cut: 36 bytes]");
        assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(cut);
    }
}
