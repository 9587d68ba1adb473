package rrunner.gateway.info;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfoControllerTest {

    @ParameterizedTest
    @CsvSource({"PT1H, 1 hour", "PT2H, 2 hours", "PT90M, 90 minutes", "PT1M, 1 minute", "PT45S, 45 seconds",
            "PT1H30S, 3630 seconds"})
    void describesTheResultTtlInItsLargestWholeUnit(String ttl, String words) {
        assertThat(InfoController.describe(Duration.parse(ttl))).isEqualTo(words);
    }
}
