package rrunner.common.queue;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import reactor.core.publisher.Flux;

/**
 * One queue script, after the generated names of {@link LuaPrelude} and the shared functions of {@code prelude.lua},
 * called by its SHA and loaded again if Redis lost it (restart).
 */
final class LuaScript {

    private final String source;
    private final String sha;

    private LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** The script {@code name}.lua for the key space of {@code keys}: its key helpers carry their prefix. */
    static LuaScript load(String name, RedisKeys keys) {
        return new LuaScript(LuaPrelude.source(keys) + resource("prelude.lua") + "\n" + resource(name + ".lua"));
    }

    <T> Flux<T> run(RedisReactiveCommands<String, String> redis, ScriptOutputType type, String[] keys,
            String... args) {
        return redis.<T>evalsha(sha, type, keys, args)
                .onErrorResume(RedisNoScriptException.class, e -> redis.eval(source, type, keys, args));
    }

    private static String resource(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/rrunner/queue/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing queue script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
