package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScriptFeedTest {

    @Test
    void blocksUntilTheScriptIsSentThenHandsItOverAndEnds() {
        ScriptFeed feed = new ScriptFeed();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(feed));

        assertThat(read).isNotCompleted();
        feed.send("3\nabc".getBytes(StandardCharsets.US_ASCII));

        assertThat(read.orTimeout(5, TimeUnit.SECONDS).join()).asString().isEqualTo("3\nabc");
    }

    @Test
    void endsAtOnceWhenClosedWithoutAScript() {
        ScriptFeed feed = new ScriptFeed();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(feed));

        feed.close();

        assertThat(read.orTimeout(5, TimeUnit.SECONDS).join()).isEmpty();
    }

    @Test
    void ignoresASecondScript() {
        ScriptFeed feed = new ScriptFeed();
        feed.send("1\na".getBytes(StandardCharsets.US_ASCII));
        feed.send("1\nb".getBytes(StandardCharsets.US_ASCII));

        assertThat(readAll(feed)).asString().isEqualTo("1\na");
    }

    @Test
    void aClosedFeedTakesNoScript() {
        ScriptFeed feed = new ScriptFeed();
        feed.close();
        feed.send("1\na".getBytes(StandardCharsets.US_ASCII));

        assertThat(readAll(feed)).isEmpty();
    }

    private static byte[] readAll(ScriptFeed feed) {
        try {
            return feed.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
