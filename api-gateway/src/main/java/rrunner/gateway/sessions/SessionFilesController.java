package rrunner.gateway.sessions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
import rrunner.common.session.SessionFile;
import rrunner.gateway.config.OpenApiConfiguration;
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

    private final SessionWorkspace workspace;
    private final RunRequestReader reader;

    SessionFilesController(SessionWorkspace workspace, RunRequestReader reader) {
        this.workspace = workspace;
        this.reader = reader;
    }

    @PutMapping("/sessions/{id}/files/{*path}")
    @Operation(operationId = "putSessionFile", summary = "Write a file into a session's workspace",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<Void>> put(@PathVariable String id, @PathVariable String path, ServerWebExchange exchange) {
        return workspace.put(id, Tenant.of(exchange), relative(path), reader.readFileBody(exchange.getRequest()))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/sessions/{id}/files/{*path}")
    @Operation(operationId = "getSessionFile", summary = "Read a file from a session's workspace",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<byte[]>> get(@PathVariable String id, @PathVariable String path,
            ServerWebExchange exchange) {
        String relative = relative(path);
        return workspace.read(id, Tenant.of(exchange), relative).map(content -> download(relative, content));
    }

    @DeleteMapping("/sessions/{id}/files/{*path}")
    @Operation(operationId = "deleteSessionFile", summary = "Delete a file or directory from a session's workspace",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<Void>> delete(@PathVariable String id, @PathVariable String path,
            ServerWebExchange exchange) {
        return workspace.delete(id, Tenant.of(exchange), relative(path))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/sessions/{id}/files")
    @Operation(operationId = "listSessionFiles", summary = "List the files and directories in a session's workspace",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<List<SessionFile>> list(@PathVariable String id, ServerWebExchange exchange) {
        return workspace.list(id, Tenant.of(exchange));
    }

    /** The path as the caller wrote it after {@code files/}; Spring hands it over with its leading slash. */
    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
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
