package rrunner.common.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ArtifactTest {

    @Test
    void utf8TextIsReturnedInline() {
        Artifact csv = Artifact.of("d.csv", "a,b\n1,é\n".getBytes(StandardCharsets.UTF_8));

        assertThat(csv.mimeType()).isEqualTo("text/csv");
        assertThat(csv.encoding()).isEqualTo("utf-8");
        assertThat(csv.content()).isEqualTo("a,b\n1,é\n");
    }

    @Test
    void bytesThatAreNotUtf8AreBase64() {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};

        Artifact blob = Artifact.of("model.rds", bytes);

        assertThat(blob.mimeType()).isEqualTo("application/octet-stream");
        assertThat(blob.encoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(blob.content())).isEqualTo(bytes);
    }

    @Test
    void imagesStayBase64EvenWhenTheirBytesHappenToBeValidUtf8() {
        Artifact png = Artifact.of("p.png", "not really a png".getBytes(StandardCharsets.UTF_8));

        assertThat(png.mimeType()).isEqualTo("image/png");
        assertThat(png.encoding()).isEqualTo("base64");
    }

    @Test
    void unknownExtensionsAreOctetStreamButTextStaysInline() {
        Artifact notes = Artifact.of("NOTES", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(notes.mimeType()).isEqualTo("application/octet-stream");
        assertThat(notes.encoding()).isEqualTo("utf-8");
    }

    @Test
    void textWithControlCharactersIsBase64SoJsonEscapingCannotMultiplyIt() {
        byte[] ones = new byte[1000];
        java.util.Arrays.fill(ones, (byte) 0x01);

        Artifact artifact = Artifact.of("ones.txt", ones);

        assertThat(artifact.encoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(artifact.content())).isEqualTo(ones);
        assertThat(rrunner.common.json.JsonCodec.encodedSize(artifact)).isLessThan(2 * ones.length);
    }

    @Test
    void tabsAndLineEndsKeepTextInline() {
        Artifact tsv = Artifact.of("d.tsv", "a\tb\r\n1\t2\n".getBytes(StandardCharsets.UTF_8));

        assertThat(tsv.encoding()).isEqualTo("utf-8");
    }

    @Test
    void fileBytesIsTheDecodedSizeInEitherEncoding() {
        assertThat(Artifact.of("a.txt", "héllo".getBytes(StandardCharsets.UTF_8)).fileBytes()).isEqualTo(6);
        for (int n = 0; n < 5; n++) {
            assertThat(Artifact.of("b.bin", new byte[n]).fileBytes()).isEqualTo(n);
        }
    }
}
