package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A file the script wrote in its working directory, as the contract returns it. */
public record Artifact(
        @JsonProperty("filename") String filename,
        @JsonProperty("mime_type") String mimeType,
        @JsonProperty("encoding") String encoding,
        @JsonProperty("content") String content) {

    public static final String UTF8 = "utf-8";
    public static final String BASE64 = "base64";

    /** Text that decodes as UTF-8 is returned inline; anything else (PNG, PDF, RDS) as base64. */
    public static Artifact of(String filename, byte[] bytes) {
        String mimeType = MimeTypes.forFilename(filename);
        String text = decodeUtf8(bytes);
        if (text != null && !MimeTypes.isBinary(mimeType)) {
            return new Artifact(filename, mimeType, UTF8, text);
        }
        return new Artifact(filename, mimeType, BASE64, Base64.getEncoder().encodeToString(bytes));
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notText) {
            return null;
        }
    }
}
