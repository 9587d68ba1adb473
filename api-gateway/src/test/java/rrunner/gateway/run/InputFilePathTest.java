package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputFilePathTest {

    @ParameterizedTest
    @ValueSource(strings = {"in.csv", "data/in.csv", "a/b/c/d.rds", ".hidden", "a..b", "x_y-z.tar.gz", "A1/B2"})
    void acceptsRelativePathsOfSafeSegments(String path) {
        assertThat(InputFilePath.problem(path)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "../a           | \"..\" segment",
            "a/../../b      | \"..\" segment",
            "a/..           | \"..\" segment",
            "/etc/x         | is absolute",
            "./a            | \".\" segment",
            "a/./b          | \".\" segment",
            ".              | \".\" segment",
            "a//b           | empty segment",
            "a/             | empty segment",
            "a\\b           | backslash",
            "%2e%2e/a       | U+0025 (%)",
            "a b            | U+0020",
            "caf\u00e9.csv  | U+00E9",
            "\uff0e\uff0e/a | U+FF0E",
            "a:b            | U+003A (:)"})
    void refusesEachUnsafePathSayingWhy(String path, String why) {
        assertThat(InputFilePath.problem(path)).hasValueSatisfying(problem -> assertThat(problem).contains(why));
    }

    @Test
    void refusesANulCharacter() {
        assertThat(InputFilePath.problem("a\0b")).hasValue("path contains a NUL character");
    }

    @Test
    void refusesAnEmptyPath() {
        assertThat(InputFilePath.problem("")).hasValue("path is empty");
    }

    @Test
    void refusesPathsAndSegmentsLongerThanAFileSystemTakes() {
        assertThat(InputFilePath.problem("a".repeat(256))).hasValueSatisfying(p -> assertThat(p).contains("255"));
        assertThat(InputFilePath.problem("a/".repeat(600) + "b")).hasValueSatisfying(p -> assertThat(p)
                .contains("1024"));
    }

    @Test
    void refusesAControlCharacterWithoutPrintingIt() {
        assertThat(InputFilePath.problem("a\nb")).hasValueSatisfying(p -> assertThat(p).contains("U+000A")
                .doesNotContain("\n"));
    }
}
