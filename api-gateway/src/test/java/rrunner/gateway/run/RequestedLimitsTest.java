package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;
import rrunner.common.environment.Environment;
import rrunner.common.job.Limits;
import rrunner.common.testing.SharedSettings;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.tenants.Tenant;
import rrunner.gateway.tenants.TenantLimits;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Against r-base as shipped: defaults 30 s, 512 MiB, 1 CPU; maxima 300 s, 2048 MiB, 2 CPUs. */
class RequestedLimitsTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final Environment R_BASE = SharedSettings.environments().defaultEnvironment();
    private static final Tenant UNCAPPED = new Tenant("default", 1, TenantLimits.NONE);
    /** At most 60 s, 1024 MiB and 0.5 CPUs: below r-base's defaults in CPUs, above them otherwise. */
    private static final Tenant SMALL = new Tenant("small", 1,
            new TenantLimits(0, 0, 0, 60, 1024L, new BigDecimal("0.5"), null));

    @Test
    void takesTheEnvironmentsDefaultForEachLimitLeftOut() {
        assertThat(resolve("{}")).isEqualTo(new Limits(30, 512, 1.0));
        assertThat(resolve("{\"memory_mb\": 1024}")).isEqualTo(new Limits(30, 1024, 1.0));
        assertThat(resolve("{\"timeout_seconds\": null, \"cpus\": null}")).isEqualTo(new Limits(30, 512, 1.0));
        assertThat(RequestedLimits.parse(null).resolve(R_BASE, UNCAPPED)).isEqualTo(new Limits(30, 512, 1.0));
    }

    @Test
    void takesEachLimitAtItsDefaultAndAtItsMaximum() {
        assertThat(resolve("{\"timeout_seconds\": 30, \"memory_mb\": 512, \"cpus\": 1}"))
                .isEqualTo(new Limits(30, 512, 1.0));
        assertThat(resolve("{\"timeout_seconds\": 300, \"memory_mb\": 2048, \"cpus\": 2.0}"))
                .isEqualTo(new Limits(300, 2048, 2.0));
    }

    @Test
    void takesFractionsOfACpuAndWholeNumbersWrittenWithAPoint() {
        assertThat(resolve("{\"cpus\": 1.5, \"timeout_seconds\": 120.0, \"memory_mb\": 1e3}"))
                .isEqualTo(new Limits(120, 1000, 1.5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"timeout_seconds\": 61} | limits.timeout_seconds | 61   | 60",
            "{\"memory_mb\": 1025}     | limits.memory_mb       | 1025 | 1024",
            "{\"cpus\": 0.51}          | limits.cpus            | 0.51 | 0.5"})
    void refusesOneOverTheTenantsMaximumWithBothNumbers(String limits, String field, String requested,
            String max) {
        assertThatExceptionOfType(LimitExceededException.class).isThrownBy(() -> resolve(limits, SMALL))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.LIMIT_EXCEEDED.uri()))
                .satisfies(e -> assertThat(e.getBody().getProperties()).containsEntry("field", field))
                .satisfies(e -> assertThat((BigDecimal) e.getBody().getProperties().get("requested"))
                        .isEqualByComparingTo(requested))
                .satisfies(e -> assertThat(new BigDecimal(e.getBody().getProperties().get("limit").toString()))
                        .isEqualByComparingTo(max))
                .satisfies(e -> assertThat(e.getBody().getDetail()).contains("tenant small"));
    }

    @Test
    void lowersADefaultOverTheTenantsMaximumToIt() {
        assertThat(resolve("{}", SMALL)).isEqualTo(new Limits(30, 512, 0.5));
        assertThat(resolve("{\"timeout_seconds\": 60, \"memory_mb\": 1024}", SMALL))
                .isEqualTo(new Limits(60, 1024, 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"timeout_seconds\": 301}    | limits.timeout_seconds | 301    | 300",
            "{\"memory_mb\": 2049}         | limits.memory_mb       | 2049   | 2048",
            "{\"cpus\": 2.01}              | limits.cpus            | 2.01   | 2.0",
            "{\"memory_mb\": 1e400}        | limits.memory_mb       | 1E+400 | 2048"})
    void refusesOneOverTheMaximumWithTheNumbersNeverClamping(String limits, String field, String requested,
            String max) {
        assertThatExceptionOfType(LimitExceededException.class).isThrownBy(() -> resolve(limits))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.LIMIT_EXCEEDED.uri()))
                .satisfies(e -> assertThat(e.getBody().getProperties()).containsEntry("field", field))
                .satisfies(e -> assertThat((BigDecimal) e.getBody().getProperties().get("requested"))
                        .isEqualByComparingTo(requested))
                .satisfies(e -> assertThat(e.getBody().getProperties().get("limit").toString()).isEqualTo(max))
                .satisfies(e -> assertThat(e.getBody().getDetail()).contains("environment r-base"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"timeout_seconds\": 0}       | limits.timeout_seconds | must be positive, got 0",
            "{\"memory_mb\": 0}             | limits.memory_mb       | must be positive, got 0",
            "{\"cpus\": 0}                  | limits.cpus            | must be positive, got 0",
            "{\"cpus\": 0.0}                | limits.cpus            | must be positive",
            "{\"timeout_seconds\": -5}      | limits.timeout_seconds | must be positive, got -5",
            "{\"memory_mb\": -1}            | limits.memory_mb       | must be positive",
            "{\"cpus\": -0.5}               | limits.cpus            | must be positive",
            "{\"timeout_seconds\": 1.5}     | limits.timeout_seconds | must be a whole number, got 1.5",
            "{\"memory_mb\": 512.25}        | limits.memory_mb       | must be a whole number",
            "{\"timeout_seconds\": \"60\"}  | limits.timeout_seconds | must be a number, got a string",
            "{\"memory_mb\": true}          | limits.memory_mb       | must be a number, got a boolean",
            "{\"cpus\": [1]}                | limits.cpus            | must be a number, got an array",
            "{\"memory_mb\": 5}             | limits.memory_mb       | must be at least 6",
            "{\"cpus\": 0.001}              | limits.cpus            | must be at least 0.01",
            "{\"memory\": 512}              | limits.memory          | unknown limit \"memory\"",
            "[30]                           | limits                 | must be an object",
            "30                             | limits                 | must be an object"})
    void refusesValuesThatAreNoLimitNeverReadingThemAsTheDefault(String limits, String field, String why) {
        assertThatExceptionOfType(InvalidLimitException.class).isThrownBy(() -> resolve(limits))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.INVALID_LIMIT.uri()))
                .satisfies(e -> assertThat(e.getBody().getProperties()).containsEntry("field", field))
                .satisfies(e -> assertThat(e.getBody().getDetail()).contains(why));
    }

    private static Limits resolve(String limits) {
        return resolve(limits, UNCAPPED);
    }

    private static Limits resolve(String limits, Tenant tenant) {
        return RequestedLimits.parse(JSON.readTree(limits)).resolve(R_BASE, tenant);
    }
}
