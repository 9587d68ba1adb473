package rrunner.gateway.problem;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Every problem {@code type} the gateway answers, so a client branches on it instead of parsing {@code detail}.
 * Each is a stable URI with one status and the members (extension properties) its problems carry; all are
 * documented in {@code docs/problems.md} and the OpenAPI document, which a test checks against this list.
 */
public enum ProblemType {

    /** 400: the body is empty or not JSON. */
    INVALID_JSON("invalid-json", HttpStatus.BAD_REQUEST, "Invalid JSON"),
    /** 422: valid JSON, but not the request's shape (no string script, a field of the wrong type). */
    INVALID_REQUEST("invalid-request", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", "field"),
    /** 422: the body's JSON names the same property twice, so readers may disagree on its value. */
    DUPLICATE_PROPERTY("duplicate-property", HttpStatus.UNPROCESSABLE_CONTENT, "Duplicate JSON property"),
    /** 422: an input file can't be placed as sent (its path, encoding or content). */
    INVALID_INPUT_FILE("invalid-input-file", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid input file", "index",
            "path"),
    /** 422: a requested limit is not a usable value (0, negative, not a number, not whole, unknown name). */
    INVALID_LIMIT("invalid-limit", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid limit", "field"),
    /**
     * 422: a requested limit, or the number of input files, is over what the environment, the server or the caller's
     * tenant allows.
     */
    LIMIT_EXCEEDED("limit-exceeded", HttpStatus.UNPROCESSABLE_CONTENT, "Limit exceeded", "field", "requested",
            "limit"),
    /** 422: the request names an environment this deployment does not offer. */
    UNKNOWN_ENVIRONMENT("unknown-environment", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown environment",
            "environment", "available"),
    /** 413: the body is over the raw request cap (refused while it streams in). */
    REQUEST_TOO_LARGE("request-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request too large", "limit"),
    /** 413: the script is over {@code MAX_SCRIPT_BYTES}. */
    SCRIPT_TOO_LARGE("script-too-large", HttpStatus.CONTENT_TOO_LARGE, "Script too large", "field", "requested",
            "limit"),
    /** 413: one input file over {@code MAX_INPUT_FILE_BYTES}, or all of them over {@code MAX_INPUT_BYTES}. */
    INPUT_TOO_LARGE("input-too-large", HttpStatus.CONTENT_TOO_LARGE, "Input too large", "field", "requested",
            "limit"),
    /** 403: the caller's tenant may not use the requested environment ({@code environments} in the tokens file). */
    ENVIRONMENT_NOT_ALLOWED("environment-not-allowed", HttpStatus.FORBIDDEN, "Environment not allowed",
            "environment", "allowed"),
    /** 400: the {@code Idempotency-Key} header is empty, over 255 characters, repeated or not printable ASCII. */
    INVALID_IDEMPOTENCY_KEY("invalid-idempotency-key", HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key"),
    /** 422: the {@code Idempotency-Key} was first sent with a different request; nothing was stored. */
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused"),
    /** 422: {@code webhook.url} is no URL a webhook may go to (scheme, userinfo, length, odd IPv4, unknown host). */
    INVALID_WEBHOOK("invalid-webhook", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid webhook", "field"),
    /** 422: the webhook's host is or resolves to an address webhooks may not reach (loopback, private, metadata). */
    WEBHOOK_ADDRESS_FORBIDDEN("webhook-address-forbidden", HttpStatus.UNPROCESSABLE_CONTENT,
            "Webhook address not allowed", "field"),
    /** 422: the request asks for a webhook, but the caller's tenant has no webhook secret to sign it with. */
    WEBHOOK_SECRET_MISSING("webhook-secret-missing", HttpStatus.UNPROCESSABLE_CONTENT, "No webhook secret"),
    /** 400: {@code ?wait=} is not a whole number of seconds, 0 or more. */
    INVALID_WAIT("invalid-wait", HttpStatus.BAD_REQUEST, "Invalid wait"),
    /** 400: {@code Last-Event-ID} is not a stream entry id whose two parts fit in 64 bits. */
    INVALID_LAST_EVENT_ID("invalid-last-event-id", HttpStatus.BAD_REQUEST, "Invalid Last-Event-ID"),
    /** 401: no bearer token, or the wrong one. */
    UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Unauthorized"),
    /** 404: no such job (unknown or malformed id, or expired after {@code RESULT_TTL}). */
    JOB_NOT_FOUND("job-not-found", HttpStatus.NOT_FOUND, "Job not found", "job_id"),
    /** 404 as the last event of a stream: the job was deleted from Redis while a client followed it. */
    JOB_GONE("job-gone", HttpStatus.NOT_FOUND, "Job gone"),
    /** 404: {@code GET /environments/{name}} of an environment this deployment does not offer. */
    ENVIRONMENT_NOT_FOUND("environment-not-found", HttpStatus.NOT_FOUND, "Environment not found", "environment",
            "available"),
    /** 408: the script ran past its timeout and was stopped. */
    TIMED_OUT("timed-out", HttpStatus.REQUEST_TIMEOUT, "Script timed out", "job_id", "timeout_seconds", "stdout",
            "stderr"),
    /** 409: {@code DELETE /jobs/{id}} of a job that already finished otherwise. */
    JOB_ALREADY_FINISHED("job-already-finished", HttpStatus.CONFLICT, "Job already finished", "job_id",
            "job_status"),
    /** 409: the job of a {@code POST /run} was cancelled (by a {@code DELETE}) before it finished. */
    RUN_CANCELLED("run-cancelled", HttpStatus.CONFLICT, "Run cancelled", "job_id"),
    /** 429: more than {@code MAX_QUEUE_DEPTH} jobs are waiting. */
    QUEUE_FULL("queue-full", HttpStatus.TOO_MANY_REQUESTS, "Queue full"),
    /** 429: the caller's tenant has {@code max_queued} jobs waiting. */
    TENANT_QUEUE_FULL("tenant-queue-full", HttpStatus.TOO_MANY_REQUESTS, "Tenant queue full", "limit", "current"),
    /** 429: the caller's tenant made its {@code requests_per_minute} submissions of the last minute. */
    RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Rate limited", "limit", "current"),
    /** 503: no worker took the job of a {@code POST /run} in time; it was withdrawn. */
    NO_WORKER("no-worker", HttpStatus.SERVICE_UNAVAILABLE, "No worker available", "job_id"),
    /** 503: live workers exist, but none serves the requested environment. */
    ENVIRONMENT_UNAVAILABLE("environment-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Environment unavailable",
            "environment"),
    /** 503: Redis, the job store, does not answer. */
    JOB_STORE_UNAVAILABLE("job-store-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Job store unavailable"),
    /** 503: Redis refused a write because it reached its memory limit. */
    JOB_STORE_FULL("job-store-full", HttpStatus.SERVICE_UNAVAILABLE, "Job store full"),
    /** 503: the job vanished from Redis before it finished (Redis lost its data). */
    JOB_LOST("job-lost", HttpStatus.SERVICE_UNAVAILABLE, "Job lost"),
    /** 503: {@code GET /system} before any worker reported the default environment's packages. */
    INVENTORY_NOT_REPORTED("inventory-not-reported", HttpStatus.SERVICE_UNAVAILABLE, "Inventory not reported"),
    /** 504: a worker took the job of a {@code POST /run} but no result came in time; the job is cancelled. */
    RESULT_OVERDUE("result-overdue", HttpStatus.GATEWAY_TIMEOUT, "Result overdue", "job_id"),
    /** 404: no such session for this caller (unknown, malformed, another caller's, or forgotten after it ended). */
    SESSION_NOT_FOUND("session-not-found", HttpStatus.NOT_FOUND, "Session not found", "session_id"),
    /** 410: the session ended ({@code expired}, {@code deleted} or {@code lost}); the reason says why. */
    SESSION_ENDED("session-ended", HttpStatus.GONE, "Session ended", "session_id", "session_status", "reason"),
    /** 409: the session is starting or running another exec; retry after {@code Retry-After}. */
    SESSION_BUSY("session-busy", HttpStatus.CONFLICT, "Session busy", "session_id", "session_status"),
    /** 429: the caller has {@code SESSION_MAX_PER_TOKEN} live sessions. */
    SESSION_LIMIT("session-limit", HttpStatus.TOO_MANY_REQUESTS, "Session limit reached", "limit", "current"),
    /** 429: every live worker holds as many sessions as it may ({@code WORKER_MAX_SESSIONS}). */
    SESSION_CAPACITY("session-capacity", HttpStatus.TOO_MANY_REQUESTS, "No room for another session", "limit",
            "current"),
    /** 503: the session could not be started (no worker took it in time, or its sandbox failed to start). */
    SESSION_NOT_STARTED("session-not-started", HttpStatus.SERVICE_UNAVAILABLE, "Session not started",
            "session_id", "reason"),
    /** 404: no regular file at that path in the session's workspace. */
    FILE_NOT_FOUND("file-not-found", HttpStatus.NOT_FOUND, "File not found", "session_id", "path"),
    /** 422: the workspace file asked for is larger than {@code MAX_ARTIFACT_BYTES}; nothing of it is sent. */
    FILE_TOO_LARGE("file-too-large", HttpStatus.UNPROCESSABLE_CONTENT, "File too large", "session_id", "path",
            "limit"),
    /** 507: the session's workspace has no room for the file put; nothing of it is left there. */
    WORKSPACE_FULL("workspace-full", HttpStatus.INSUFFICIENT_STORAGE, "Workspace full", "session_id", "path"),
    /** 503: the worker holding the session did not answer a file request in time, or its sandbox failed. */
    SESSION_UNRESPONSIVE("session-unresponsive", HttpStatus.SERVICE_UNAVAILABLE, "Session unresponsive",
            "session_id", "reason"),
    /**
     * 400: {@code /mcp} refused the message before MCP read it: an {@code Accept} without {@code application/json}
     * and {@code text/event-stream}, a body that is not one JSON-RPC message, or no {@code Mcp-Session-Id}.
     */
    INVALID_MCP_REQUEST("invalid-mcp-request", HttpStatus.BAD_REQUEST, "Invalid MCP request"),
    /** 404: the {@code Mcp-Session-Id} names no MCP session of this caller here; initialize a new one. */
    MCP_SESSION_NOT_FOUND("mcp-session-not-found", HttpStatus.NOT_FOUND, "MCP session not found"),
    /** 503: this gateway holds {@code MCP_MAX_SESSIONS} MCP sessions; retry after {@code Retry-After}. */
    MCP_SESSIONS_FULL("mcp-sessions-full", HttpStatus.SERVICE_UNAVAILABLE, "No room for another MCP session",
            "limit"),
    /** 404: no endpoint at this path. */
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
    /** 405: the endpoint exists, but not for this method. */
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    /** 406: the endpoint can't answer in any type {@code Accept} allows. */
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    /** 500: a bug in the gateway; the request may be retried. */
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
    /** Any other status the web framework answers by itself (415, a missing header); the status says what. */
    HTTP_ERROR("http-error", null, "HTTP error");

    /**
     * why a URN: the type has to stay the same whatever host serves it (a URL relative to the service would
     * change with PUBLIC_BASE_URL) and needs no documentation server; RFC 9457 allows non-resolvable types.
     */
    private static final String PREFIX = "urn:rrunner:problem:";
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private final String typeName;
    private final HttpStatus status;
    private final URI uri;
    private final String title;
    private final List<String> members;

    ProblemType(String name, HttpStatus status, String title, String... members) {
        this.typeName = name;
        this.status = status;
        this.uri = URI.create(PREFIX + name);
        this.title = title;
        this.members = List.of(members);
    }

    public URI uri() {
        return uri;
    }

    /** The name after the URN prefix, such as {@code limit-exceeded}. */
    public String typeName() {
        return typeName;
    }

    public String title() {
        return title;
    }

    /** The status its problems have; null for {@link #HTTP_ERROR}, which takes the framework's. */
    public HttpStatus status() {
        return status;
    }

    /** The extension members its problems may carry, beyond type, title, status, detail and instance. */
    public List<String> members() {
        return members;
    }

    /** A problem of this type with its own status and {@code detail}. */
    public ProblemDetail problem(String detail) {
        return problem(status, detail);
    }

    /** A problem of this type with {@code status} and {@code detail}. */
    public ProblemDetail problem(HttpStatusCode status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(uri);
        problem.setTitle(title);
        return problem;
    }

    /**
     * Gives a problem the framework made (no route, wrong method, unsupported media type) the type of its status,
     * so no answer of the gateway is {@code about:blank}; a problem that has a type keeps it.
     */
    public static void typeIfUntyped(ProblemDetail problem) {
        if (problem.getType() != null && !ABOUT_BLANK.equals(problem.getType())) {
            return;
        }
        ProblemType type = Arrays.stream(values())
                .filter(candidate -> candidate.status != null && candidate.status.value() == problem.getStatus()
                        && candidate.isFrameworkFallback())
                .findFirst()
                .orElse(HTTP_ERROR);
        problem.setType(type.uri);
        if (type != HTTP_ERROR) {
            problem.setTitle(type.title);
        }
    }

    private boolean isFrameworkFallback() {
        return this == NOT_FOUND || this == METHOD_NOT_ALLOWED || this == NOT_ACCEPTABLE || this == INTERNAL_ERROR;
    }
}
