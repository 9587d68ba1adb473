package rrunner.gateway.run;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import rrunner.common.session.SessionId;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code {"script": "<R source>", "environment": ..., "limits": {...}, "files": [...], "session": ...,
 * "webhook": {"url": ...}}}
 * from a body. Parsed by hand, not bound to a type, so each way a body can be wrong gets its own status, problem type
 * and a detail that says what to fix. Other top-level fields are ignored, as the reference runner did, but each only once.
 */
final class RunRequestParser {

    /**
     * why duplicates are refused: parsers disagree on which of two equal keys wins (Jackson takes the last, others
     * the first), so a proxy that checked one script could pass the gateway another.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // why: a limit such as 1e400 or 0.1 is compared exactly, never as an infinite or rounded double
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** The same reader without the duplicate check: only used to tell a duplicate from broken JSON. */
    private static final JsonMapper LENIENT_JSON = JSON.rebuild()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final String SHAPE = "send {\"script\": \"<R source>\"}";
    private static final int MAX_METADATA_ENTRIES = 16;
    private static final int MAX_METADATA_CHARS = 256;

    private final int maxScriptBytes;
    private final InputFilesParser files;

    RunRequestParser(int maxScriptBytes, InputFilesParser files) {
        this.maxScriptBytes = maxScriptBytes;
        this.files = files;
    }

    /** The request; fails with 400 (not JSON), 422 (wrong shape, bad limit or file) or 413 (too large). */
    RunRequest parse(byte[] body) {
        JsonNode root = readTree(body);
        if (!root.isObject()) {
            throw InvalidRunRequestException.unprocessable(
                    "request body must be a JSON object, got " + describe(root) + "; " + SHAPE);
        }
        String script = script(root);
        return new RunRequest(script, environment(root.get("environment")), RequestedLimits.parse(root.get("limits")),
                files.parse(root.get("files")), session(root.get("session")), webhookUrl(root.get("webhook")));
    }

    /**
     * A {@code POST /sessions} body, {@code {"environment": ..., "limits": {...}, "ttl_seconds": 600,
     * "metadata": {"k": "v"}}}, every field optional and an empty body the same as {@code {}}; fails as
     * {@link #parse} does.
     */
    SessionRequest parseSession(byte[] body) {
        JsonNode root = body.length == 0 ? JSON.createObjectNode() : readTree(body);
        if (!root.isObject()) {
            throw InvalidRunRequestException.unprocessable("request body must be a JSON object (or empty), got "
                    + describe(root));
        }
        return new SessionRequest(environment(root.get("environment")), RequestedLimits.parse(root.get("limits")),
                ttlSeconds(root.get("ttl_seconds")), metadata(root.get("metadata")));
    }

    /** Exactly as sent, so a huge value is compared with the cap, never overflowed into a small one. */
    private static BigDecimal ttlSeconds(JsonNode ttl) {
        if (ttl == null || ttl.isNull()) {
            return null;
        }
        if (!ttl.isNumber() || ttl.decimalValue().signum() <= 0
                || ttl.decimalValue().stripTrailingZeros().scale() > 0) {
            throw new InvalidLimitException("ttl_seconds", "field \"ttl_seconds\" must be a whole number of seconds, "
                    + "1 or more, got " + (ttl.isNumber() ? ttl.decimalValue().toString() : describe(ttl)));
        }
        return ttl.decimalValue();
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return Map.of();
        }
        if (!metadata.isObject() || metadata.size() > MAX_METADATA_ENTRIES) {
            throw InvalidRunRequestException.invalidField("metadata", "field \"metadata\" must be an object of at "
                    + "most " + MAX_METADATA_ENTRIES + " string values, got " + describe(metadata));
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (String key : metadata.propertyNames()) {
            JsonNode value = metadata.get(key);
            if (!value.isString() || key.length() > MAX_METADATA_CHARS
                    || value.stringValue().length() > MAX_METADATA_CHARS) {
                throw InvalidRunRequestException.invalidField("metadata." + key, "metadata values must be strings, "
                        + "keys and values at most " + MAX_METADATA_CHARS + " characters");
            }
            entries.put(key, value.stringValue());
        }
        return entries;
    }

    private String script(JsonNode root) {
        JsonNode script = root.get("script");
        if (script == null) {
            throw InvalidRunRequestException.invalidField("script", "missing required field \"script\"; " + SHAPE);
        }
        if (!script.isString()) {
            throw InvalidRunRequestException.invalidField("script",
                    "field \"script\" must be a string, got " + describe(script));
        }
        String source = script.stringValue();
        long bytes = source.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxScriptBytes) {
            throw ScriptTooLargeException.script(bytes, maxScriptBytes);
        }
        return source;
    }

    private static String environment(JsonNode environment) {
        if (environment == null || environment.isNull()) {
            return null;
        }
        if (!environment.isString()) {
            throw InvalidRunRequestException.invalidField("environment", "field \"environment\" must be the name "
                    + "of an environment (GET /environments lists them), got " + describe(environment));
        }
        return environment.stringValue();
    }

    /** The URL of {@code {"webhook": {"url": "https://..."}}}; checked later, once the tenant is known. */
    private static String webhookUrl(JsonNode webhook) {
        if (webhook == null || webhook.isNull()) {
            return null;
        }
        if (!webhook.isObject() || webhook.size() != 1 || !webhook.has("url")) {
            throw InvalidRunRequestException.invalidField("webhook", "field \"webhook\" must be an object with one "
                    + "member, \"url\": {\"webhook\": {\"url\": \"https://...\"}}");
        }
        JsonNode url = webhook.get("url");
        if (!url.isString()) {
            throw InvalidRunRequestException.invalidField("webhook.url", "field \"webhook.url\" must be a string, "
                    + "got " + describe(url));
        }
        return url.stringValue();
    }

    private static SessionId session(JsonNode session) {
        if (session == null || session.isNull()) {
            return null;
        }
        if (!session.isString() || !SessionId.isWellFormed(session.stringValue())) {
            throw InvalidRunRequestException.invalidField("session", "field \"session\" must be the id of a session "
                    + "(POST /sessions creates one), got " + describe(session));
        }
        return new SessionId(session.stringValue());
    }

    private static JsonNode readTree(byte[] body) {
        if (body.length == 0) {
            throw InvalidRunRequestException.malformed("request body is empty; " + SHAPE);
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw InvalidRunRequestException.malformed("request body holds no JSON value; " + SHAPE);
            }
            return root;
        } catch (JacksonException e) {
            String problem = e.getOriginalMessage() + where(e.getLocation());
            if (isValidWithDuplicates(body)) {
                throw InvalidRunRequestException.duplicateProperty("request body names a property twice: " + problem
                        + "; send each field once");
            }
            throw InvalidRunRequestException.malformed("request body is not valid JSON: " + problem);
        }
    }

    /**
     * why a second parse rather than matching the message: the duplicate check is the only difference between the
     * two readers, so a body only the strict one refuses is valid JSON with a duplicate, whatever Jackson's wording.
     * Only refused bodies pay for it.
     */
    private static boolean isValidWithDuplicates(byte[] body) {
        try {
            LENIENT_JSON.readTree(body);
            return true;
        } catch (JacksonException stillBroken) {
            return false;
        }
    }

    private static String where(TokenStreamLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** "null", "a number", "an array": what the caller sent instead, in words. */
    static String describe(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }
}
