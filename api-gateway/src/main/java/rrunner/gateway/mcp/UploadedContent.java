package rrunner.gateway.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import rrunner.gateway.run.InputTooLargeException;
import rrunner.gateway.run.InvalidRunRequestException;

/** An {@code upload_file} call's content as the bytes to write: its text, or its base64 decoded. */
final class UploadedContent {

    private UploadedContent() {
    }

    /** Fails as {@code PUT /sessions/{id}/files} would: 422 for base64 that does not decode, 413 over the limit. */
    static byte[] decode(String content, Object encoding, int maxBytes) {
        byte[] bytes;
        if (McpProtocol.BASE64.equals(encoding)) {
            try {
                bytes = Base64.getDecoder().decode(content);
            } catch (IllegalArgumentException e) {
                throw InvalidRunRequestException.invalidField(McpProtocol.CONTENT,
                        "field \"content\" is not valid base64: " + e.getMessage());
            }
        } else {
            bytes = content.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > maxBytes) {
            throw InputTooLargeException.file(McpProtocol.CONTENT, bytes.length, maxBytes);
        }
        return bytes;
    }
}
