package rrunner.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PublicBaseUrlTest {

    @ParameterizedTest
    @CsvSource({
            "runner.example.com, https://runner.example.com",
            "runner.example.com/, https://runner.example.com",
            "runner.example.com:8443, https://runner.example.com:8443",
            "'  runner.example.com  ', https://runner.example.com",
            "http://localhost:8000, http://localhost:8000",
            "http://localhost:8000/, http://localhost:8000",
            "https://example.com/r-runner/, https://example.com/r-runner"})
    void addsHttpsToABareHostAndDropsTrailingSlashes(String raw, String normalized) {
        assertThat(PublicBaseUrl.normalize(raw)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://runner.example.com", "http://localhost:8000", "https://example.com/r-runner"})
    void acceptsHttpUrlsWithAHost(String url) {
        assertThat(PublicBaseUrl.isValid(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://runner.example.com", "https://", "https://exa mple.com", "https:///path"})
    void rejectsOtherUrls(String url) {
        assertThat(PublicBaseUrl.isValid(url)).isFalse();
    }
}
