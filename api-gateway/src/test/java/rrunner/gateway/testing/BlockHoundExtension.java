package rrunner.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;

/**
 * Fails a test when anything made a blocking call on a Reactor or Netty thread during it. Calls are recorded,
 * not thrown: an error thrown from inside a lock acquisition (where park is detected) leaves the lock broken
 * and hangs the app, hiding the report.
 */
public final class BlockHoundExtension implements BeforeAllCallback, AfterEachCallback {

    private static final List<String> BLOCKING_CALLS = new CopyOnWriteArrayList<>();
    private static final int FRAMES_SHOWN = 25;

    @Override
    public void beforeAll(ExtensionContext context) {
        // why once per JVM: BlockHound instruments classes globally and ignores later installs
        BlockHound.install(builder -> builder
                // why: job ids and lease tokens are random UUIDs, drawn from SecureRandom, which reads
                // /dev/urandom; on Linux that read never blocks once the kernel's pool is seeded at boot
                .allowBlockingCallsInside("java.util.UUID", "randomUUID")
                // why: Lettuce guards its command write path with a lock held for a few instructions; two
                // threads writing at once park for that long, which is contention, not I/O
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters")
                // why: Netty's buffer allocator briefly locks a magazine while it grows its pool under contention;
                // Netty's own BlockHound integration allows the allocator's other locks but not this one (4.2.19)
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
                        "tryExpandMagazines")
                // why: Jackson builds each type's deserializer once, under a lock, and caches it; threads that
                // decode the same type during that first build wait for it (first results after startup)
                .allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
                        "_createAndCacheValueDeserializer")
                // why: springdoc builds the OpenAPI document once, at startup (springdoc.pre-loading-enabled), under
                // a lock; a /openapi.json request that arrives while it is still being built waits for it
                .allowBlockingCallsInside("org.springdoc.api.AbstractOpenApiResource", "getOpenApi")
                // why: Spring resolves version-less webjar paths (Swagger UI at /docs) by reading the webjar's
                // pom.properties once per webjar, then serves it from a cache
                .allowBlockingCallsInside("org.webjars.WebJarVersionLocator", "version")
                // why: WebFlux checks that a class-path resource is readable (opening its jar entry) on the event
                // loop; only Swagger UI's static files at /docs are served that way, none of the API
                .allowBlockingCallsInside("org.springframework.web.reactive.resource.PathResourceResolver",
                        "getResource")
                .blockingMethodCallback(BlockHoundExtension::record));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> calls = List.copyOf(BLOCKING_CALLS);
        BLOCKING_CALLS.clear();
        assertThat(calls).as("blocking calls on non-blocking threads").isEmpty();
    }

    private static void record(BlockingMethod method) {
        String stack = Arrays.stream(new Throwable().getStackTrace())
                .limit(FRAMES_SHOWN)
                .map(frame -> "\n    at " + frame)
                .collect(Collectors.joining());
        BLOCKING_CALLS.add(method + " on " + Thread.currentThread().getName() + stack);
    }
}
