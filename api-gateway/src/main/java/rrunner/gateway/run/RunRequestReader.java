package rrunner.gateway.run;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.gateway.config.GatewayProperties;

/**
 * Reads a {@code POST /run} body under a byte limit while it streams in: a declared length over the limit is
 * refused before reading, a streamed body as soon as its running count passes it, so an oversized body is
 * never buffered whole. The content type is ignored: {@code curl -d} sends JSON labelled as a form.
 */
@Component
class RunRequestReader {

    private final int maxRequestBytes;
    private final int maxScriptBytes;
    private final RunRequestParser parser;

    RunRequestReader(GatewayProperties properties) {
        this.maxRequestBytes = properties.maxRequestBytes();
        this.maxScriptBytes = properties.maxScriptBytes();
        this.parser = new RunRequestParser(properties.maxScriptBytes());
    }

    Mono<String> readScript(ServerHttpRequest request) {
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
