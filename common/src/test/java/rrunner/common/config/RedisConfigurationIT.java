package rrunner.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static rrunner.common.testing.Jobs.aTrivialSpec;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.queue.JobQueue;
import rrunner.common.redis.RedisUnreachableException;
import rrunner.common.testing.RedisTestContainer;
import rrunner.common.testing.TlsFiles;

/** The apps' Redis client against a real Redis that accepts only TLS and a password. */
@Testcontainers
class RedisConfigurationIT {

    private static final String PASSWORD = "s3cret-pw";
    // why a static field before the container: the certificates must exist when the container is created
    private static final TlsFiles TLS = TlsFiles.generate();

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.createWithTls(TLS, PASSWORD);

    @AfterAll
    static void deleteCertificates() {
        TLS.delete();
    }

    @Test
    void connectsWithTlsWhenTheUrlSaysRediss() {
        AppRedisContext.with(url("rediss", 0), TLS.caCertificate().toString()).run(context -> {
            assertThat(context).hasNotFailed();
            StatefulRedisConnection<String, String> connection = context.getBean(StatefulRedisConnection.class);
            JobQueue queue = context.getBean(JobQueue.class);

            assertThat(connection.sync().ping()).isEqualTo("PONG");
            JobRecord queued = queue.enqueue(aTrivialSpec()).block();
            assertThat(queue.find(queued.id()).block().state()).isEqualTo(JobState.QUEUED);
        });
    }

    @Test
    void usesTheDatabaseAndPasswordOfTheUrl() {
        AppRedisContext.with(url("rediss", 5), TLS.caCertificate().toString()).run(context -> {
            assertThat(context).hasNotFailed();
            StatefulRedisConnection<String, String> connection = context.getBean(StatefulRedisConnection.class);

            context.getBean(JobQueue.class).enqueue(aTrivialSpec()).block();

            assertThat(connection.sync().clientInfo()).contains(" db=5 ");
            assertThat(connection.sync().dbsize()).isPositive();
        });
    }

    @Test
    void aPlainUrlToTheTlsPortFailsSayingToUseRediss() {
        AppRedisContext.with(url("redis", 0), "").run(context -> assertThat(
                unreachable(context.getStartupFailure()).getMessage())
                .contains("redis://" + REDIS.getHost() + ":" + REDIS.getMappedPort(6379), "REDIS_URL", "rediss://")
                .doesNotContain(PASSWORD));
    }

    @Test
    void anUntrustedServerCertificateFailsNamingTheCaSetting() {
        AppRedisContext.with(url("rediss", 0), "").run(context -> assertThat(
                unreachable(context.getStartupFailure()).getMessage())
                .contains("rediss://", "TLS handshake", "REDIS_TLS_CA_FILE")
                .doesNotContain(PASSWORD));
    }

    private static RedisUnreachableException unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisUnreachableException unreachable) {
                return unreachable;
            }
        }
        throw new AssertionError("no RedisUnreachableException in the startup failure", failure);
    }

    private static String url(String scheme, int database) {
        return scheme + "://:" + PASSWORD + "@" + REDIS.getHost() + ":" + REDIS.getMappedPort(6379) + "/" + database;
    }
}
