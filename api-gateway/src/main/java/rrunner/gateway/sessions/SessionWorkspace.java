package rrunner.gateway.sessions;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.session.FileReply;
import rrunner.common.session.FileRequest.Action;
import rrunner.common.session.SessionFile;
import rrunner.common.session.SessionId;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.problem.SessionProblems;
import rrunner.gateway.run.InputFilePath;
import rrunner.gateway.run.InvalidRunRequestException;
import rrunner.gateway.tenants.Tenant;

/**
 * A session's workspace as its owner sees it, for {@code /sessions/{id}/files} and the MCP file tools alike: the
 * path rules (a put follows a run's input files, a read or delete takes any name R gave), and each way the worker's
 * reply can go wrong as the problem the HTTP API answers.
 */
@Component
public class SessionWorkspace {

    private final SessionFiles files;
    private final long maxReadBytes;

    SessionWorkspace(SessionFiles files, GatewayProperties properties) {
        this.files = files;
        this.maxReadBytes = properties.maxArtifactBytes();
    }

    /** Writes {@code content} at {@code path}; the content is only read once the path passed its checks. */
    public Mono<Void> put(String id, Tenant tenant, String path, Mono<byte[]> content) {
        return SessionLookup.parse(id).flatMap(session -> checked(path, InputFilePath.problem(path))
                .then(content)
                .flatMap(bytes -> ask(session, tenant, Action.PUT, path, bytes)))
                .then();
    }

    /** The file's bytes, up to {@code MAX_ARTIFACT_BYTES}. */
    public Mono<byte[]> read(String id, Tenant tenant, String path) {
        return SessionLookup.parse(id).flatMap(session -> checked(path, InputFilePath.existingProblem(path))
                .then(ask(session, tenant, Action.GET, path, null)))
                .map(FileReply::content);
    }

    public Mono<Void> delete(String id, Tenant tenant, String path) {
        return SessionLookup.parse(id).flatMap(session -> checked(path, InputFilePath.existingProblem(path))
                .then(ask(session, tenant, Action.DELETE, path, null)))
                .then();
    }

    public Mono<List<SessionFile>> list(String id, Tenant tenant) {
        return SessionLookup.parse(id).flatMap(session -> ask(session, tenant, Action.LIST, null, null))
                .map(FileReply::files);
    }

    private Mono<FileReply> ask(SessionId session, Tenant tenant, Action action, String path, byte[] content) {
        return files.ask(session, tenant.id(), action, path, content, maxReadBytes)
                .onErrorMap(TimeoutException.class, e -> SessionProblems.unresponsive(session.value(),
                        "its worker did not answer within " + SessionFiles.REPLY_TIMEOUT.toSeconds() + " s"))
                .flatMap(reply -> switch (reply.outcome()) {
                    case DONE -> Mono.just(reply);
                    case MISSING -> Mono.error(SessionProblems.fileNotFound(session.value(), path));
                    case INVALID -> Mono.error(InvalidRunRequestException.invalidField("path", reply.detail()));
                    case TOO_LARGE -> Mono.error(SessionProblems.fileTooLarge(session.value(), path, maxReadBytes));
                    case FULL -> Mono.error(SessionProblems.workspaceFull(session.value(), path, reply.detail()));
                    case FAILED -> Mono.error(SessionProblems.unresponsive(session.value(), reply.detail()));
                });
    }

    private static Mono<Void> checked(String path, Optional<String> problem) {
        return problem.<Mono<Void>>map(detail -> Mono.error(InvalidRunRequestException.invalidField("path",
                detail))).orElse(Mono.empty());
    }
}
