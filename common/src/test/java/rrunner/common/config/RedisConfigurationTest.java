package rrunner.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;

/** Settings that must stop startup with a message, naming what to fix (port 1: nothing listens). */
class RedisConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void aMissingCaFileStopsStartup() {
        String missing = dir.resolve("missing.pem").toString();

        AppRedisContext.with("rediss://localhost:1", missing).run(context -> assertThat(context)
                .getFailure()
                .hasRootCauseInstanceOf(BindValidationException.class)
                .rootCause().hasMessageContaining("REDIS_TLS_CA_FILE must name a readable file"));
    }

    @Test
    void aCaFileWithoutCertificatesStopsStartup() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

        AppRedisContext.with("rediss://localhost:1", notPem.toString()).run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("REDIS_TLS_CA_FILE=" + notPem + " is not a PEM file of CA certificates"));
    }

    @Test
    void aCaFileWithAPlainUrlStopsStartupRatherThanConnectWithoutTls() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "irrelevant: refused before it is read\n");

        AppRedisContext.with("redis://:pw@localhost:1", ca.toString()).run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("REDIS_TLS_CA_FILE is set but REDIS_URL (redis://localhost:1/0) does not use TLS")
                .hasMessageNotContaining("pw"));
    }

    @Test
    void aSentinelUrlIsFollowedAsWritten() {
        AppRedisContext.with("redis-sentinel://:pw@localhost:1,localhost:2/3#primary", "").run(context -> assertThat(
                context)
                .getFailure()
                .hasStackTraceContaining("Cannot connect to Redis at redis-sentinel://localhost:1,localhost:2/3#primary")
                .hasStackTraceContaining("Cannot connect to a Redis Sentinel"));
    }

    @Test
    void aMalformedUrlStopsStartupWithoutRepeatingIt() {
        AppRedisContext.with("redis://:pass word@localhost:1", "").run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("REDIS_URL is not a Redis URL")
                .hasMessageNotContaining("pass word"));
    }
}
