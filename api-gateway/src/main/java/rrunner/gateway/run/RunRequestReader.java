package rrunner.gateway.run;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.job.JobSpec;
import rrunner.common.job.Limits;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.environments.EnvironmentAvailability;

/**
 * Reads a {@code POST /run} or {@code POST /jobs} body under a byte limit while it streams in: a declared length
 * over the limit is refused before reading, a streamed body as soon as its running count passes it, so an
 * oversized body is never buffered whole. The content type is ignored: {@code curl -d} sends JSON labelled as a
 * form. The job it makes names its environment and every limit resolved, so a worker applies exactly these.
 */
@Component
public class RunRequestReader {

    private final GatewayProperties properties;
    private final Environments environments;
    private final EnvironmentAvailability availability;
    private final int maxRequestBytes;
    private final int maxScriptBytes;
    private final RunRequestParser parser;

    RunRequestReader(GatewayProperties properties, Environments environments, EnvironmentAvailability availability) {
        this.properties = properties;
        this.environments = environments;
        this.availability = availability;
        this.maxRequestBytes = properties.maxRequestBytes();
        this.maxScriptBytes = properties.maxScriptBytes();
        this.parser = new RunRequestParser(properties.maxScriptBytes(), new InputFilesParser(
                properties.maxInputFiles(), properties.maxInputFileBytes(), properties.maxInputBytes()));
    }

    /**
     * The job the body asks for, with the limits this gateway promises; fails with 400, 413 or 422 for the body,
     * 503 when live workers all pass its environment by.
     */
    public Mono<JobSpec> readSpec(ServerHttpRequest request) {
        return readBody(request).map(parser::parse).flatMap(this::toSpec);
    }

    private Mono<JobSpec> toSpec(RunRequest run) {
        Environment environment = run.environment() == null ? environments.defaultEnvironment()
                : environments.find(run.environment())
                        .orElseThrow(() -> new UnknownEnvironmentException(run.environment(), environments.names()));
        Limits limits = run.limits().resolve(environment);
        return availability.check(environment).thenReturn(new JobSpec(run.script(), limits.timeoutSeconds(),
                properties.maxArtifactCount(), properties.maxArtifactBytes(), properties.maxResultBytes(),
                environment.name(), limits.memoryMb(), limits.cpus(), run.files()));
    }

    private Mono<byte[]> readBody(ServerHttpRequest request) {
        if (request.getHeaders().getContentLength() > maxRequestBytes) {
            return Mono.error(ScriptTooLargeException.body(maxRequestBytes, maxScriptBytes));
        }
        return DataBufferUtils.join(request.getBody(), maxRequestBytes)
                .onErrorMap(DataBufferLimitException.class,
                        e -> ScriptTooLargeException.body(maxRequestBytes, maxScriptBytes))
                .map(RunRequestReader::toBytes)
                .defaultIfEmpty(new byte[0]);
    }

    private static byte[] toBytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
