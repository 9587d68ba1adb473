package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCaptureTest {

    private final List<String> forwarded = new ArrayList<>();

    @Test
    void keepsAndForwardsOutputUnderTheCap() {
        OutputCapture capture = new OutputCapture(100, forwarded::add);

        capture.accept(utf8("hello "));
        capture.accept(utf8("world\n"));

        assertThat(capture.finish()).isEqualTo("hello world\n");
        assertThat(forwarded).containsExactly("hello ", "world\n");
    }

    @Test
    void cutsAtTheCapWithOneMarkerCountingTheDroppedBytes() {
        OutputCapture capture = new OutputCapture(10, forwarded::add);

        capture.accept(utf8("0123456789abc"));
        capture.accept(utf8("defgh"));

        assertThat(capture.finish()).isEqualTo("0123456789\n[output truncated: 8 more bytes]\n");
        assertThat(String.join("", forwarded)).isEqualTo("0123456789");
    }

    @Test
    void forwardsNothingOnceTheCapIsReached() {
        OutputCapture capture = new OutputCapture(4, forwarded::add);

        capture.accept(utf8("abcd"));
        capture.accept(utf8("efgh"));

        assertThat(forwarded).containsExactly("abcd");
    }

    @Test
    void joinsACharacterSplitAcrossChunks() {
        OutputCapture capture = new OutputCapture(100, forwarded::add);
        byte[] text = utf8("né €");

        capture.accept(Arrays.copyOfRange(text, 0, 2));
        capture.accept(Arrays.copyOfRange(text, 2, 5));
        capture.accept(Arrays.copyOfRange(text, 5, text.length));

        assertThat(capture.finish()).isEqualTo("né €");
        assertThat(String.join("", forwarded)).isEqualTo("né €");
        assertThat(forwarded).noneMatch(piece -> piece.contains("\uFFFD"));
    }

    @Test
    void replacesMalformedBytes() {
        OutputCapture capture = new OutputCapture(100, forwarded::add);

        capture.accept(new byte[] {'a', (byte) 0xff, 'b'});

        assertThat(capture.finish()).isEqualTo("a\uFFFDb");
    }

    @Test
    void marksATruncatedEndingInsideACharacterWithoutAReplacementCharacter() {
        OutputCapture capture = new OutputCapture(2, forwarded::add);

        capture.accept(utf8("a€b"));

        assertThat(capture.finish()).isEqualTo("a\n[output truncated: 3 more bytes]\n");
    }

    @Test
    void showsADanglingPartialCharacterAtTheRealEnd() {
        OutputCapture capture = new OutputCapture(100, forwarded::add);

        capture.accept(new byte[] {'a', (byte) 0xe2, (byte) 0x82});

        assertThat(capture.finish()).isEqualTo("a\uFFFD");
    }

    @Test
    void ignoresOutputAfterFinishing() {
        OutputCapture capture = new OutputCapture(100, forwarded::add);
        capture.accept(utf8("done"));
        String finished = capture.finish();

        capture.accept(utf8("late"));

        assertThat(capture.finish()).isEqualTo(finished).isEqualTo("done");
    }

    @Test
    void handlesChunksLargerThanTheDecodeBuffer() {
        OutputCapture capture = new OutputCapture(1 << 20, forwarded::add);
        String big = "ü".repeat(50_000);

        capture.accept(utf8(big));

        assertThat(capture.finish()).isEqualTo(big);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
