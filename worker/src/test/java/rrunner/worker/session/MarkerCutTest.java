package rrunner.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import rrunner.worker.sandbox.OutputCapture;

class MarkerCutTest {

    private static final String TOKEN = "\u001errunner-end abc ";

    @Test
    void cutsTheOutputAtTheMarkerAndKeepsItsTail() {
        MarkerCut cut = cut(1000);

        feed(cut, "hello\u001errunner-end abc ok 0 \nafter");

        assertThat(cut.done()).isTrue();
        assertThat(cut.output()).isEqualTo("hello");
        assertThat(cut.tail()).contains("ok 0 ");
    }

    @Test
    void findsAMarkerSplitAcrossChunks() {
        MarkerCut cut = cut(1000);

        for (char c : "x\u001errunner-end abc ok\n".toCharArray()) {
            feed(cut, String.valueOf(c));
        }

        assertThat(cut.output()).isEqualTo("x");
        assertThat(cut.tail()).contains("ok");
    }

    @Test
    void passesFalseStartsAndOtherNoncesThroughAsOutput() {
        MarkerCut cut = cut(1000);

        feed(cut, "\u001e\u001errunner-end abd ok\n\u001errunner-");
        feed(cut, "en\u001errunner-end abc error\n");

        assertThat(cut.output()).isEqualTo("\u001e\u001errunner-end abd ok\n\u001errunner-en");
        assertThat(cut.tail()).contains("error");
    }

    @Test
    void endsAsMalformedWhenTheTailIsTooLong() {
        MarkerCut cut = cut(4);

        feed(cut, TOKEN + "12345\n");

        assertThat(cut.done()).isTrue();
        assertThat(cut.tail()).isEmpty();
    }

    @Test
    void waitsForTheWholeTail() {
        MarkerCut cut = cut(1000);

        feed(cut, TOKEN + "ok 0");

        assertThat(cut.done()).isFalse();
        assertThat(cut.tail()).isEmpty();
    }

    private static MarkerCut cut(int maxTail) {
        return new MarkerCut(TOKEN, new OutputCapture(1 << 20, chunk -> { }), maxTail);
    }

    private static void feed(MarkerCut cut, String text) {
        cut.accept(text.getBytes(StandardCharsets.UTF_8));
    }
}
