package rrunner.common.redis;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where Redis is and how to trust it.
 *
 * @param url {@code REDIS_URL}: the Redis URI as Lettuce reads it: {@code redis://} or {@code rediss://} (TLS) with
 *     credentials and database, or {@code redis-sentinel://} for a Sentinel-managed master
 * @param tlsCaFile {@code REDIS_TLS_CA_FILE}: PEM file with the certificate(s) of the CA that signed the Redis
 *     server's certificate; the server is then trusted through these alone. Empty: the CAs the JVM trusts (enough
 *     for managed Redis services with publicly signed certificates)
 */
@Validated
@ConfigurationProperties("rrunner.redis")
public record RedisProperties(@NotBlank String url, String tlsCaFile) {

    public boolean hasCaFile() {
        return tlsCaFile != null && !tlsCaFile.isBlank();
    }

    public Path caFile() {
        return Path.of(tlsCaFile);
    }

    /** Checked at startup so that a wrong path fails there, not at the first connection attempt. */
    @AssertTrue(message = "REDIS_TLS_CA_FILE must name a readable file")
    public boolean isCaFileReadable() {
        return !hasCaFile() || (Files.isRegularFile(caFile()) && Files.isReadable(caFile()));
    }
}
