package rrunner.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import rrunner.gateway.run.InputTooLargeException;
import rrunner.gateway.run.InvalidRunRequestException;

class UploadedContentTest {

    @Test
    void textIsWrittenAsUtf8() {
        assertThat(UploadedContent.decode("é", null, 10)).containsExactly(0xc3, 0xa9);
    }

    @Test
    void base64IsDecoded() {
        assertThat(UploadedContent.decode("AQI=", "base64", 10)).containsExactly(1, 2);
    }

    @Test
    void base64ThatDoesNotDecodeIsInvalid() {
        assertThatThrownBy(() -> UploadedContent.decode("%%%", "base64", 10))
                .isInstanceOf(InvalidRunRequestException.class);
    }

    @Test
    void contentOverTheLimitIsTooLarge() {
        assertThatThrownBy(() -> UploadedContent.decode("AQID", "base64", 2))
                .isInstanceOf(InputTooLargeException.class);
    }
}
