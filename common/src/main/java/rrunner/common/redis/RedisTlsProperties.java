package rrunner.common.redis;

import jakarta.validation.constraints.AssertTrue;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Trust for TLS to Redis. TLS itself is turned on by the URL: {@code REDIS_URL=rediss://...}.
 *
 * @param tlsCaFile {@code REDIS_TLS_CA_FILE}: PEM file with the certificate(s) of the CA that signed the Redis
 *                  server's certificate; the server is then trusted through these alone. Empty: the CAs the JVM
 *                  trusts (enough for managed Redis services with publicly signed certificates)
 */
@Validated
@ConfigurationProperties("rrunner.redis")
public record RedisTlsProperties(String tlsCaFile) {

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
