package rrunner.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/** Request bodies that arrive piece by piece, to check that the gateway refuses them while they stream in. */
public final class StreamedBodies {

    private static final int HUGE_CHUNKS = 800;
    private static final byte[] HEAD = "{\"script\": \"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNK = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
    /** Over any body limit the tests set, yet small enough for the server to take in whole before it answers. */
    private static final byte[] START = "x".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);

    /** The size of {@link #huge}: about 50 MB. */
    public static final long HUGE_BYTES = HEAD.length + (long) CHUNK.length * HUGE_CHUNKS;

    private StreamedBodies() {
    }

    /** 50 MB of one long script string, sent as fast as the server reads it; {@code sent} counts what went out. */
    public static Flux<DataBuffer> huge(AtomicLong sent) {
        return Flux.concat(Flux.just(HEAD), Flux.range(0, HUGE_CHUNKS).map(i -> CHUNK))
                .<DataBuffer>map(DefaultDataBufferFactory.sharedInstance::wrap)
                .doOnNext(buffer -> sent.addAndGet(buffer.readableByteCount()));
    }

    /**
     * The start of a body, then nothing more, ever: a server that waited for the whole body would never
     * answer, so getting an answer proves it answered without reading to the end.
     */
    public static Flux<DataBuffer> neverEnding() {
        return Flux.concat(Flux.just(HEAD, START), Flux.never())
                .map(DefaultDataBufferFactory.sharedInstance::wrap);
    }
}
