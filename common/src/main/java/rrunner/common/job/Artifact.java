package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
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

    /**
     * Text that decodes as UTF-8 is returned inline; anything else (PNG, PDF, RDS) as base64. So is text holding
     * control characters other than tab, CR and LF: JSON writes each as a six-byte escape, so inline they could
     * cost six times their size, where base64 costs four thirds.
     */
    public static Artifact of(String filename, byte[] bytes) {
        String mimeType = MimeTypes.forFilename(filename);
        String text = decodeUtf8(bytes);
        if (text != null && !MimeTypes.isBinary(mimeType) && !hasEscapedControls(text)) {
            return new Artifact(filename, mimeType, UTF8, text);
        }
        return new Artifact(filename, mimeType, BASE64, Base64.getEncoder().encodeToString(bytes));
    }

    /** The file's size in bytes, whichever encoding carries it. */
    @JsonIgnore
    public long fileBytes() {
        if (BASE64.equals(encoding)) {
            int padding = content.endsWith("==") ? 2 : content.endsWith("=") ? 1 : 0;
            return (long) content.length() / 4 * 3 - padding;
        }
        return content.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Whether JSON must write a character of {@code text} as a six-byte escape: C0 controls but tab, LF and CR. */
    static boolean hasEscapedControls(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return true;
            }
        }
        return false;
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
