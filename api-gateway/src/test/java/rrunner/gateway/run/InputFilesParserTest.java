package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import rrunner.common.job.InputFile;
import rrunner.gateway.problem.ProblemType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InputFilesParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** At most 3 files, each at most 10 bytes, 15 bytes together. */
    private final InputFilesParser parser = new InputFilesParser(3, 10, 15);

    @Test
    void decodesUtf8ByDefaultAndBase64WhenAsked() {
        List<InputFile> files = parse("[{\"path\": \"a.txt\", \"content\": \"h\u00e9\"},"
                + " {\"path\": \"d/b.txt\", \"content\": \"x\", \"encoding\": \"utf-8\"},"
                + " {\"path\": \"d/c.bin\", \"content\": \"AP8=\", \"encoding\": \"base64\"}]");

        assertThat(files).containsExactly(
                new InputFile("a.txt", "h\u00e9".getBytes(StandardCharsets.UTF_8)),
                new InputFile("d/b.txt", new byte[] {'x'}),
                new InputFile("d/c.bin", new byte[] {0, (byte) 0xff}));
    }

    @Test
    void takesAnEmptyFileAndAnEmptyList() {
        assertThat(parse("[{\"path\": \"empty\", \"content\": \"\"}]"))
                .containsExactly(new InputFile("empty", new byte[0]));
        assertThat(parse("[]")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"AP8", "AP8=\\n", "AP 8=", "A-8=", "AP9=", "====", "AP8=AP8=", "*"})
    void refusesBase64ThatIsNotStrict(String content) {
        assertThatExceptionOfType(InvalidInputFileException.class)
                .isThrownBy(() -> parse("[{\"path\": \"a.bin\", \"content\": \"" + content
                        + "\", \"encoding\": \"base64\"}]"))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.INVALID_INPUT_FILE.uri()))
                .satisfies(e -> assertThat(e.getBody().getDetail()).startsWith("files[0]: content is not"))
                .satisfies(e -> assertThat(e.getBody().getProperties())
                        .containsEntry("index", 0).containsEntry("path", "a.bin"));
    }

    @Test
    void refusesTextWithAnUnpairedSurrogate() {
        assertThatExceptionOfType(InvalidInputFileException.class)
                .isThrownBy(() -> parse("[{\"path\": \"a.txt\", \"content\": \"\\ud800\"}]"))
                .satisfies(e -> assertThat(e.getBody().getDetail()).contains("not valid Unicode"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[{\"path\": \"../a\", \"content\": \"\"}]                     | 0 | ../a   | \"..\" segment",
            "[{\"path\": \"/etc/x\", \"content\": \"\"}]                   | 0 | /etc/x | is absolute",
            "[{\"path\": \"a/../../b\", \"content\": \"\"}]                | 0 | a/../../b | \"..\" segment",
            "[{\"path\": \"a\\\\b\", \"content\": \"\"}]                   | 0 | a\\b   | backslash",
            "[{\"path\": \"a\\u0000b\", \"content\": \"\"}]                | 0 | a\u0000b | NUL",
            "[{\"path\": \"%2e%2e/x\", \"content\": \"\"}]                 | 0 | %2e%2e/x | U+0025",
            "[{\"path\": \"a\", \"content\": \"\"}, {\"path\": \"a\", \"content\": \"\"}]     | 1 | a   | also the path of files[0]",
            "[{\"path\": \"a\", \"content\": \"\"}, {\"path\": \"a/b\", \"content\": \"\"}]   | 1 | a/b | needs a as a directory",
            "[{\"path\": \"a/b\", \"content\": \"\"}, {\"path\": \"a\", \"content\": \"\"}]   | 1 | a   | is a directory of files[0]",
            "[{\"path\": \"a\", \"content\": \"\", \"encoding\": \"latin1\"}] | 0 | a     | encoding must be",
            "[{\"path\": \"a\", \"content\": 5}]                            | 0 | a      | \"content\" must be a string"})
    void refusesEachBadFileNamingItsIndexAndPath(String files, int index, String path, String why) {
        assertThatExceptionOfType(InvalidInputFileException.class).isThrownBy(() -> parse(files))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.INVALID_INPUT_FILE.uri()))
                .satisfies(e -> assertThat(e.getBody().getDetail()).startsWith("files[" + index + "]: ")
                        .contains(why))
                .satisfies(e -> assertThat(e.getBody().getProperties())
                        .containsEntry("index", index).containsEntry("path", path));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[\"a.csv\"]                                        | must be an object",
            "[{\"content\": \"\"}]                               | missing required field \"path\"",
            "[{\"path\": 1, \"content\": \"\"}]                  | \"path\" must be a string",
            "[{\"path\": \"a\", \"content\": \"\", \"mode\": 1}] | unknown field \"mode\""})
    void refusesAnEntryOfTheWrongShapeNamingItsIndex(String files, String why) {
        assertThatExceptionOfType(InvalidInputFileException.class).isThrownBy(() -> parse(files))
                .satisfies(e -> assertThat(e.getBody().getDetail()).startsWith("files[0]: ").contains(why))
                .satisfies(e -> assertThat(e.getBody().getProperties()).containsEntry("index", 0)
                        .doesNotContainKey("path"));
    }

    @Test
    void refusesMoreFilesThanAllowedWith422() {
        assertThatExceptionOfType(LimitExceededException.class)
                .isThrownBy(() -> parse("[" + String.join(",", List.of(file("a", ""), file("b", ""), file("c", ""),
                        file("d", ""))) + "]"))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.LIMIT_EXCEEDED.uri()))
                .satisfies(e -> assertThat(e.getBody().getProperties()).containsEntry("field", "files")
                        .containsEntry("requested", 4).containsEntry("limit", 3));
    }

    @Test
    void takesFilesAtEachLimit() {
        assertThat(parse("[" + file("a", "1234567890") + "," + file("b", "12345") + "]")).hasSize(2);
    }

    @Test
    void refusesAFileOverItsLimitDecodedWith413() {
        String elevenBytes = Base64.getEncoder().encodeToString(new byte[11]);
        assertThatExceptionOfType(InputTooLargeException.class)
                .isThrownBy(() -> parse("[{\"path\": \"big\", \"content\": \"" + elevenBytes
                        + "\", \"encoding\": \"base64\"}]"))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.INPUT_TOO_LARGE.uri()))
                .satisfies(e -> assertThat(e.getBody().getProperties()).containsEntry("field", "files[0].content")
                        .containsEntry("requested", 11L).containsEntry("limit", 10L));
    }

    @Test
    void refusesFilesOverTheirBudgetTogetherWith413() {
        assertThatExceptionOfType(InputTooLargeException.class)
                .isThrownBy(() -> parse("[" + file("a", "1234567890") + "," + file("b", "123456") + "]"))
                .satisfies(e -> assertThat(e.getBody().getProperties()).containsEntry("field", "files")
                        .containsEntry("requested", 16L).containsEntry("limit", 15L));
    }

    private static String file(String path, String content) {
        return "{\"path\": \"" + path + "\", \"content\": \"" + content + "\"}";
    }

    private List<InputFile> parse(String files) {
        JsonNode node = JSON.readTree(files);
        return parser.parse(node);
    }
}
