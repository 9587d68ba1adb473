package rrunner.common.queue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One queue script, after the generated names of {@link LuaPrelude} and the shared functions of {@code prelude.lua},
 * as a Redis function in a library of its own, called with {@code FCALL} and loaded again if Redis lost it (a
 * restart without persistence, {@code FUNCTION FLUSH}).
 *
 * <p>Why a function and not {@code EVALSHA}: a script runs its whole text on every call, and the prelude (generated
 * tables and some forty closures) cost 60–100 µs of Redis's single thread per call, most of a claim. A library's
 * top level runs once, at load. The library and function are named after the script and the SHA-1 of the library,
 * so two versions of r-runner (a rolling upgrade) or two key prefixes on one Redis never replace each other's code.
 *
 * <p>A script whose first line is {@code #!lua flags=no-writes} (Redis's own spelling for flagged scripts) is
 * registered with those flags. Redis refuses a function without {@code no-writes} outright while it is out of
 * memory ({@code OOM}), where a plain script was refused at its first write.
 */
final class LuaScript {

    private static final String FLAGS_LINE = "#!lua flags=";
    private static final String FUNCTION_MISSING = "ERR Function not found";
    private static final String LIBRARY_EXISTS = "already exists";

    private final String function;
    private final String library;

    private LuaScript(String name, String prelude, String script) {
        List<String> flags = List.of();
        String body = script;
        if (script.startsWith(FLAGS_LINE)) {
            int end = script.indexOf('\n');
            flags = List.of(script.substring(FLAGS_LINE.length(), end).strip().split(","));
            body = script.substring(end + 1);
        }
        String code = prelude
                + "\nredis.register_function{function_name = FUNCTION_NAME, callback = function(KEYS, ARGV)\n"
                + LuaPrelude.ON_CALL + "\n"
                + body
                + "\nend, flags = {" + flags.stream().map(flag -> "'" + flag + "'").collect(Collectors.joining(", "))
                + "}}\n";
        this.function = "rrunner_" + name + "_" + sha1(code);
        this.library = "#!lua name=" + function + "\nlocal FUNCTION_NAME = '" + function + "'\n" + code;
    }

    /** The script {@code name}.lua for the key space of {@code keys}: its key helpers carry their prefix. */
    static LuaScript load(String name, RedisKeys keys) {
        return new LuaScript(name, LuaPrelude.source(keys) + resource("prelude.lua"), resource(name + ".lua"));
    }

    <T> Flux<T> run(RedisReactiveCommands<String, String> redis, ScriptOutputType type, String[] keys,
            String... args) {
        return redis.<T>fcall(function, type, keys, args)
                .onErrorResume(LuaScript::functionMissing, e -> redis.functionLoad(library)
                        .onErrorResume(LuaScript::loadedMeanwhile, loaded -> Mono.empty())
                        .thenMany(redis.<T>fcall(function, type, keys, args)));
    }

    private static boolean functionMissing(Throwable error) {
        return error instanceof RedisCommandExecutionException && error.getMessage() != null
                && error.getMessage().startsWith(FUNCTION_MISSING);
    }

    /** Another client loaded the same library between our call and our load. */
    private static boolean loadedMeanwhile(Throwable error) {
        return error instanceof RedisCommandExecutionException && error.getMessage() != null
                && error.getMessage().contains(LIBRARY_EXISTS);
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
