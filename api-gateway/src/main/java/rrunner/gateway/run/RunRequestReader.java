package rrunner.gateway.run;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobSpec;
import rrunner.gateway.config.GatewayProperties;

/**
 * Reads a {@code POST /run} or {@code POST /jobs} body under a byte limit while it streams in: a declared length
 * over the limit is refused before reading, a streamed body as soon as its running count passes it, so an
 * oversized body is never buffered whole. The content type is ignored: {@code curl -d} sends JSON labelled as a
 * form.
 */
@Component
public class RunRequestReader {

    private final GatewayProperties properties;
    private final int maxRequestBytes;
    private final int maxScriptBytes;
    private final RunRequestParser parser;

    RunRequestReader(GatewayProperties properties) {
        this.properties = properties;
        this.maxRequestBytes = properties.maxRequestBytes();
        this.maxScriptBytes = properties.maxScriptBytes();
        this.parser = new RunRequestParser(properties.maxScriptBytes());
    }

    /** The job the body asks for, with the limits this gateway promises; fails with 400, 413 or 422. */
    public Mono<JobSpec> readSpec(ServerHttpRequest request) {
        return readScript(request).map(script -> new JobSpec(script, properties.runTimeoutSeconds(),
                properties.maxArtifactCount(), properties.maxArtifactBytes(), properties.maxResultBytes()));
    }

    private Mono<String> readScript(ServerHttpRequest request) {
        if (request.getHeaders().getContentLength() > maxRequestBytes) {
            return Mono.error(ScriptTooLargeException.body(maxRequestBytes, maxScriptBytes));
        }
        return DataBufferUtils.join(request.getBody(), maxRequestBytes)
                .onErrorMap(DataBufferLimitException.class,
                        e -> ScriptTooLargeException.body(maxRequestBytes, maxScriptBytes))
                .map(RunRequestReader::toBytes)
                .defaultIfEmpty(new byte[0])
                .map(parser::parse);
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
