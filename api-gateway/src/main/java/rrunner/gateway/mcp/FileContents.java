package rrunner.gateway.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import rrunner.common.job.MimeTypes;

/**
 * A session file as {@code read_file} answers it: text a model reads for text types, an image it can look at for
 * PNG, JPEG and SVG, and an embedded blob resource with its MIME type for anything else (or text that is not UTF-8).
 */
final class FileContents {

    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/svg+xml");
    private static final Set<String> TEXT_APPLICATION_TYPES = Set.of("application/json", "application/xml",
            "application/yaml");

    private FileContents() {
    }

    static CallToolResult of(String session, String path, byte[] content) {
        String mimeType = MimeTypes.forFilename(path.substring(path.lastIndexOf('/') + 1));
        String base64 = Base64.getEncoder().encodeToString(content);
        if (IMAGE_TYPES.contains(mimeType)) {
            return CallToolResult.builder().addContent(new McpSchema.ImageContent(null, base64, mimeType)).build();
        }
        Optional<String> text = isText(mimeType) ? utf8(content) : Optional.empty();
        if (text.isPresent()) {
            return CallToolResult.builder().addTextContent(text.get()).build();
        }
        // why a session-scoped URI: it names the file unambiguously; the bytes travel with it
        String uri = "rrunner://sessions/" + session + "/files/" + path;
        return CallToolResult.builder().addContent(new McpSchema.EmbeddedResource(null,
                new McpSchema.BlobResourceContents(uri, mimeType, base64))).build();
    }

    private static boolean isText(String mimeType) {
        return mimeType.startsWith("text/") || TEXT_APPLICATION_TYPES.contains(mimeType);
    }

    private static Optional<String> utf8(byte[] content) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
