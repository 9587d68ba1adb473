package rrunner.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away CA and a server certificate it signed for {@code localhost} and {@code 127.0.0.1}, made with the
 * {@code openssl} command (the test command installs it) in a temporary folder.
 */
public record TlsFiles(Path dir, Path caCertificate, Path serverCertificate, Path serverKey) {

    private static final long OPENSSL_TIMEOUT_SECONDS = 60;

    public static TlsFiles generate() {
        try {
            Path dir = Files.createTempDirectory("rrunner-tls");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=r-runner test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                    "-keyout", "ca.key", "-out", "ca.crt");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-keyout", "server.key", "-out", "server.csr");
            Files.writeString(dir.resolve("server.ext"),
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n", StandardCharsets.UTF_8);
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-extfile", "server.ext", "-out", "server.crt");
            return new TlsFiles(dir, dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = Stream.concat(Stream.of("openssl"), Stream.of(args)).toList();
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl did not finish: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed:\n" + Files.readString(log));
        }
    }
}
