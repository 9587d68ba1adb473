package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;
import rrunner.common.job.InputFile;
import rrunner.gateway.problem.ProblemType;

class RunRequestParserTest {

    private final RunRequestParser parser = new RunRequestParser(10, new InputFilesParser(2, 10, 15));

    @Test
    void readsTheScript() {
        assertThat(parse("{\"script\": \"cat(1)\\n\"}").script()).isEqualTo("cat(1)\n");
    }

    @Test
    void ignoresOtherFields() {
        assertThat(parse("{\"script\": \"cat(1)\", \"timeout\": 5}").script()).isEqualTo("cat(1)");
    }

    @Test
    void acceptsAnEmptyScript() {
        assertThat(parse("{\"script\": \"\"}").script()).isEmpty();
    }

    @Test
    void acceptsAScriptOfExactlyTheLimit() {
        assertThat(parse("{\"script\": \"1234567890\"}").script()).hasSize(10);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"script\": \"cat(1)\"      | request body is not valid JSON",
            "script=cat(1)               | request body is not valid JSON",
            "{\"script\": \"x\"} trailing | request body is not valid JSON",
            "''                          | request body is empty"})
    void answers400ForBodiesThatAreNotJson(String body, String detail) {
        assertThatExceptionOfType(InvalidRunRequestException.class).isThrownBy(() -> parse(body))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST))
                .satisfies(e -> assertThat(e.getBody().getDetail()).startsWith(detail));
    }

    @Test
    void saysWhereTheJsonBreaks() {
        assertThatExceptionOfType(InvalidRunRequestException.class).isThrownBy(() -> parse("{\"script\": }"))
                .satisfies(e -> assertThat(e.getBody().getDetail()).contains("(line 1, column 12)"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[\"cat(1)\"]              | request body must be a JSON object, got an array",
            "\"cat(1)\"                | request body must be a JSON object, got a string",
            "null                      | request body must be a JSON object, got null",
            "{}                        | missing required field \"script\"",
            "{\"script\": 42}          | field \"script\" must be a string, got a number",
            "{\"script\": null}        | field \"script\" must be a string, got null",
            "{\"script\": [\"cat(1)\"]} | field \"script\" must be a string, got an array"})
    void answers422ForJsonOfTheWrongShape(String body, String detail) {
        assertThatExceptionOfType(InvalidRunRequestException.class).isThrownBy(() -> parse(body))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT))
                .satisfies(e -> assertThat(e.getBody().getDetail()).startsWith(detail));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"script\": \"a\", \"script\": \"b\"}         | \"script\"",
            "{\"script\": \"a\", \"scrip\\u0074\": \"b\"}   | \"script\"",
            "{\"script\": \"a\", \"o\": {\"k\": 1, \"k\": 2}} | \"k\""})
    void answers422WithATypedProblemForAKeyNamedTwice(String body, String key) {
        assertThatExceptionOfType(InvalidRunRequestException.class).isThrownBy(() -> parse(body))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.DUPLICATE_PROPERTY.uri()))
                .satisfies(e -> assertThat(e.getBody().getDetail())
                        .startsWith("request body names a property twice").contains(key));
    }

    @Test
    void answers400ForBrokenJsonEvenWithAKeyNamedTwice() {
        assertThatExceptionOfType(InvalidRunRequestException.class)
                .isThrownBy(() -> parse("{\"script\": \"a\", \"script\": \"b\""))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST))
                .satisfies(e -> assertThat(e.getBody().getDetail()).startsWith("request body is not valid JSON"));
    }

    @Test
    void answers413ForAScriptOverTheLimitInUtf8Bytes() {
        assertThatExceptionOfType(ScriptTooLargeException.class).isThrownBy(() -> parse("{\"script\": \"ééééééé\"}"))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE))
                .satisfies(e -> assertThat(e.getBody().getDetail())
                        .isEqualTo("script is 14 bytes, over MAX_SCRIPT_BYTES (10)"));
    }

    @Test
    void readsEnvironmentLimitsAndFiles() {
        RunRequest request = parser.parse(("{\"script\": \"1\", \"environment\": \"r-full\", "
                + "\"limits\": {\"memory_mb\": 1024}, \"files\": [{\"path\": \"a.csv\", \"content\": \"x\"}]}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(request.environment()).isEqualTo("r-full");
        assertThat(request.limits().memoryMb()).isEqualByComparingTo("1024");
        assertThat(request.files()).containsExactly(new InputFile("a.csv", new byte[] {'x'}));
    }

    @Test
    void takesNoEnvironmentLimitsOrFilesWhenTheyAreLeftOutOrNull() {
        RunRequest request = parser.parse("{\"script\": \"1\", \"environment\": null, \"limits\": null, \"files\": null}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(request.environment()).isNull();
        assertThat(request.limits()).isEqualTo(RequestedLimits.NONE);
        assertThat(request.files()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"script\": \"1\", \"environment\": 3}     | environment",
            "{\"script\": \"1\", \"environment\": [\"r\"]} | environment",
            "{\"script\": \"1\", \"files\": {}}          | files",
            "{\"script\": \"1\", \"files\": \"a.csv\"}   | files",
            "{\"script\": \"1\", \"webhook\": \"https://h.example.com/\"} | webhook",
            "{\"script\": \"1\", \"webhook\": {\"url\": \"https://h.example.com/\", \"secret\": \"x\"}} | webhook",
            "{\"script\": \"1\", \"webhook\": {}}       | webhook",
            "{\"script\": \"1\", \"webhook\": {\"url\": 7}} | webhook.url"})
    void answers422NamingTheFieldOfTheWrongType(String body, String field) {
        assertThatExceptionOfType(InvalidRunRequestException.class).isThrownBy(() -> parse(body))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.INVALID_REQUEST.uri()))
                .satisfies(e -> assertThat(e.getBody().getProperties()).containsEntry("field", field));
    }

    @Test
    void typesEveryRefusalOfTheBody() {
        assertThatExceptionOfType(InvalidRunRequestException.class).isThrownBy(() -> parse("{"))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.INVALID_JSON.uri()));
        assertThatExceptionOfType(ScriptTooLargeException.class).isThrownBy(() -> parse("{\"script\": \"12345678901\"}"))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.SCRIPT_TOO_LARGE.uri()))
                .satisfies(e -> assertThat(e.getBody().getProperties())
                        .containsEntry("field", "script").containsEntry("requested", 11L).containsEntry("limit", 10));
    }

    @Test
    void readsTheWebhookUrlToCheckOnceTheTenantIsKnown() {
        assertThat(parse("{\"script\": \"1\", \"webhook\": {\"url\": \"https://h.example.com/x\"}}").webhookUrl())
                .isEqualTo("https://h.example.com/x");
        assertThat(parse("{\"script\": \"1\", \"webhook\": null}").webhookUrl()).isNull();
    }

    @Test
    void readsAHugeLimitExactlyRatherThanAsInfinity() {
        RunRequest request = parse("{\"script\": \"1\", \"limits\": {\"cpus\": 1e400}}");

        assertThat(request.limits().cpus()).isEqualByComparingTo("1e400");
    }

    private RunRequest parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
