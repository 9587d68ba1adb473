package rrunner.gateway.run;

import java.math.BigDecimal;
import java.time.Duration;
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
import rrunner.common.queue.SessionStore;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionRefusedException;
import rrunner.common.session.SessionSpec;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.environments.EnvironmentAvailability;
import rrunner.gateway.tenants.Tenant;
import rrunner.gateway.webhooks.WebhookRequests;

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
    private final SessionStore sessions;
    private final WebhookRequests webhooks;

    RunRequestReader(GatewayProperties properties, Environments environments, EnvironmentAvailability availability,
            SessionStore sessions, WebhookRequests webhooks) {
        this.properties = properties;
        this.webhooks = webhooks;
        this.sessions = sessions;
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
    public Mono<JobSpec> readSpec(ServerHttpRequest request, Tenant tenant) {
        return readCappedBody(request).flatMap(body -> readSpec(body, tenant));
    }

    /**
     * The job a {@code POST /run} or {@code POST /jobs} body asks for, and its webhook, checked for the tenant
     * (422 when it may not be sent); fails as {@link #readSpec} does for the rest of the body.
     */
    public Mono<JobRequest> readJob(ServerHttpRequest request, Tenant tenant) {
        return readCappedBody(request)
                .flatMap(body -> Mono.fromCallable(() -> parser.parse(body)))
                .flatMap(run -> toSpec(run, tenant).flatMap(spec -> run.webhookUrl() == null
                        ? Mono.just(new JobRequest(spec, null))
                        : webhooks.check(run.webhookUrl(), tenant).map(url -> new JobRequest(spec, url))));
    }

    /** The job a body already read asks for (an MCP tool's arguments), failing as {@link #readSpec} does. */
    public Mono<JobSpec> readSpec(byte[] body, Tenant tenant) {
        return Mono.fromCallable(() -> parser.parse(body)).flatMap(run -> toSpec(run, tenant));
    }

    /**
     * An exec in the session {@code session}, whichever the body names; fails as {@link #readSpec} does for the body,
     * and with 404 or 410 for a session that is not the caller's or ended.
     */
    public Mono<JobSpec> readExecSpec(ServerHttpRequest request, SessionId session, Tenant tenant) {
        return readCappedBody(request).flatMap(body -> readExecSpec(body, session, tenant));
    }

    /** An exec in {@code session} from a body already read, failing as {@link #readExecSpec} does. */
    public Mono<JobSpec> readExecSpec(byte[] body, SessionId session, Tenant tenant) {
        return Mono.fromCallable(() -> parser.parse(body))
                .map(run -> new RunRequest(run.script(), run.environment(), run.limits(), run.files(), session,
                        run.webhookUrl()))
                .flatMap(run -> toSpec(run, tenant));
    }

    /**
     * What a {@code POST /sessions} body asks for, resolved as a run's environment and limits are; a TTL over
     * {@code maxTtl} fails with 422 (never clamped), none asked for is {@code defaultTtl}.
     */
    public Mono<SessionSpec> readSessionSpec(ServerHttpRequest request, Duration defaultTtl, Duration maxTtl,
            Tenant tenant) {
        return readCappedBody(request).flatMap(body -> readSessionSpec(body, defaultTtl, maxTtl, tenant));
    }

    /** What a session body already read asks for, failing as {@link #readSessionSpec} does. */
    public Mono<SessionSpec> readSessionSpec(byte[] body, Duration defaultTtl, Duration maxTtl, Tenant tenant) {
        return Mono.fromCallable(() -> parser.parseSession(body)).flatMap(asked -> {
            Environment environment = environment(asked.environment(), tenant);
            Limits limits = asked.limits().resolve(environment, tenant);
            BigDecimal ttl = asked.ttlSeconds() == null ? BigDecimal.valueOf(defaultTtl.toSeconds())
                    : asked.ttlSeconds();
            if (ttl.compareTo(BigDecimal.valueOf(maxTtl.toSeconds())) > 0) {
                return Mono.error(new LimitExceededException("ttl_seconds", ttl, maxTtl.toSeconds(),
                        "ttl_seconds is " + ttl + ", over the most this server allows (" + maxTtl.toSeconds()
                                + "; SESSION_MAX_TTL)"));
            }
            return availability.check(environment)
                    .thenReturn(new SessionSpec(environment.name(), limits, ttl.longValueExact(), asked.metadata()));
        });
    }

    /**
     * A file's raw bytes, as {@code PUT /sessions/{id}/files/{path}} sends them, under {@code MAX_INPUT_FILE_BYTES}
     * as an input file of a run is; fails with 413 as soon as the body passes it.
     */
    public Mono<byte[]> readFileBody(ServerHttpRequest request) {
        int limit = properties.maxInputFileBytes();
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            return Mono.error(InputTooLargeException.body(declared, limit));
        }
        return DataBufferUtils.join(request.getBody(), limit)
                .onErrorMap(DataBufferLimitException.class, e -> InputTooLargeException.body(-1, limit))
                .map(RunRequestReader::toBytes)
                .defaultIfEmpty(new byte[0]);
    }

    /** The environment {@code name} (null: the default), if it is offered (else 422) and the tenant's (else 403). */
    private Environment environment(String name, Tenant tenant) {
        Environment environment = name == null ? environments.defaultEnvironment()
                : environments.find(name).orElseThrow(() -> new UnknownEnvironmentException(name, environments.names()));
        if (!tenant.limits().allowsEnvironment(environment.name())) {
            throw new EnvironmentNotAllowedException(environment.name(), tenant);
        }
        return environment;
    }

    private Mono<JobSpec> toSpec(RunRequest run, Tenant tenant) {
        if (run.session() != null && run.webhookUrl() != null) {
            return Mono.error(InvalidRunRequestException.invalidField("webhook", "an exec in a session takes no "
                    + "webhook: its caller waits for it; leave out \"webhook\" or \"session\""));
        }
        return run.session() == null ? toOneShotSpec(run, tenant) : toExecSpec(run, tenant);
    }

    /** why refused rather than ignored: a caller asking for other limits in an exec would not get them. */
    private Mono<JobSpec> toExecSpec(RunRequest run, Tenant tenant) {
        if (run.environment() != null || !run.limits().isEmpty()) {
            return Mono.error(InvalidRunRequestException.invalidField(run.environment() != null ? "environment"
                    : "limits", "an exec runs in its session's environment and limits, set when the session was "
                    + "created; leave out \"environment\" and \"limits\""));
        }
        return sessions.findOwned(run.session(), tenant.id())
                .switchIfEmpty(Mono.error(() -> SessionRefusedException.notFound(run.session())))
                .flatMap(session -> session.state().isTerminal()
                        ? Mono.error(SessionRefusedException.ended(session.id(), session.state(), session.reason()))
                        : Mono.just(new JobSpec(run.script(), session.spec().limits().timeoutSeconds(),
                                properties.maxArtifactCount(), properties.maxArtifactBytes(),
                                properties.maxResultBytes(), session.spec().environment(),
                                session.spec().limits().memoryMb(), session.spec().limits().cpus(), run.files(),
                                session.id().value(), tenant.id())));
    }

    private Mono<JobSpec> toOneShotSpec(RunRequest run, Tenant tenant) {
        Environment environment = environment(run.environment(), tenant);
        Limits limits = run.limits().resolve(environment, tenant);
        return availability.check(environment).thenReturn(new JobSpec(run.script(), limits.timeoutSeconds(),
                properties.maxArtifactCount(), properties.maxArtifactBytes(), properties.maxResultBytes(),
                environment.name(), limits.memoryMb(), limits.cpus(), run.files(), null, tenant.id()));
    }

    /** The raw body, refused with 413 {@code request-too-large} past the request cap, as {@code POST /run}'s is. */
    public Mono<byte[]> readCappedBody(ServerHttpRequest request) {
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
