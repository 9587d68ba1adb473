package rrunner.gateway.sessions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.job.MimeTypes;
import rrunner.common.session.FileReply;
import rrunner.common.session.FileRequest.Action;
import rrunner.common.session.SessionFile;
import rrunner.common.session.SessionId;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.config.OpenApiConfiguration;
import rrunner.gateway.problem.SessionProblems;
import rrunner.gateway.run.InputFilePath;
import rrunner.gateway.run.InvalidRunRequestException;
import rrunner.gateway.run.RunRequestReader;
import rrunner.gateway.tenants.Tenant;

/**
 * {@code /sessions/{id}/files}: put, read, list and delete files in a session's workspace, beside its live R (a
 * running exec does not hold them up). A file put follows the rules of a run's input files (path characters,
 * {@code MAX_INPUT_FILE_BYTES}); one read back may have any name R gave it, and is sent as a download, never as a
 * page this origin would render.
 */
@RestController
@Tag(name = "sessions")
class SessionFilesController {

    private final SessionFiles files;
    private final RunRequestReader reader;
    private final long maxReadBytes;

    SessionFilesController(SessionFiles files, RunRequestReader reader, GatewayProperties properties) {
        this.files = files;
        this.reader = reader;
        this.maxReadBytes = properties.maxArtifactBytes();
    }

    @PutMapping("/sessions/{id}/files/{*path}")
    @Operation(operationId = "putSessionFile", summary = "Write a file into a session's workspace",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<Void>> put(@PathVariable String id, @PathVariable String path, ServerWebExchange exchange) {
        String relative = relative(path);
        return SessionLookup.parse(id).flatMap(session -> checked(relative, InputFilePath.problem(relative))
                .then(reader.readFileBody(exchange.getRequest()))
                .flatMap(content -> ask(session, Tenant.of(exchange), Action.PUT, relative, content)))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/sessions/{id}/files/{*path}")
    @Operation(operationId = "getSessionFile", summary = "Read a file from a session's workspace",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<byte[]>> get(@PathVariable String id, @PathVariable String path,
            ServerWebExchange exchange) {
        String relative = relative(path);
        return SessionLookup.parse(id).flatMap(session -> checked(relative, InputFilePath.existingProblem(relative))
                .then(ask(session, Tenant.of(exchange), Action.GET, relative, null)))
                .map(reply -> download(relative, reply.content()));
    }

    @DeleteMapping("/sessions/{id}/files/{*path}")
    @Operation(operationId = "deleteSessionFile", summary = "Delete a file or directory from a session's workspace",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<Void>> delete(@PathVariable String id, @PathVariable String path,
            ServerWebExchange exchange) {
        String relative = relative(path);
        return SessionLookup.parse(id).flatMap(session -> checked(relative, InputFilePath.existingProblem(relative))
                .then(ask(session, Tenant.of(exchange), Action.DELETE, relative, null)))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/sessions/{id}/files")
    @Operation(operationId = "listSessionFiles", summary = "List the files and directories in a session's workspace",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<List<SessionFile>> list(@PathVariable String id, ServerWebExchange exchange) {
        return SessionLookup.parse(id).flatMap(session -> ask(session, Tenant.of(exchange), Action.LIST, null, null))
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

    /** The path as the caller wrote it after {@code files/}; Spring hands it over with its leading slash. */
    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static Mono<Void> checked(String path, Optional<String> problem) {
        return problem.<Mono<Void>>map(detail -> Mono.error(InvalidRunRequestException.invalidField("path",
                detail))).orElse(Mono.empty());
    }

    /**
     * why a download with a sandboxing policy: the file was written by an untrusted script, and an HTML file
     * rendered on this origin could act with the playground's token.
     */
    private static ResponseEntity<byte[]> download(String path, byte[] content) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(MimeTypes.forFilename(name)))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name, StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox")
                .body(content);
    }
}
