package rrunner.common.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManagerFactory;

/** Trust managers for TLS to Redis, from the PEM file {@code REDIS_TLS_CA_FILE} names. */
public final class RedisTrust {

    private RedisTrust() {
    }

    /** Fails with a message naming the setting: a bad file must stop startup, not every later connection. */
    public static TrustManagerFactory fromPemFile(Path pemFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "REDIS_TLS_CA_FILE=" + pemFile + " is not a PEM file of CA certificates: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException("REDIS_TLS_CA_FILE=" + pemFile + " holds no certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("redis-ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            return trust;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("REDIS_TLS_CA_FILE=" + pemFile + " cannot be used: " + e.getMessage(), e);
        }
    }
}
