package rrunner.gateway.run;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rrunner.common.job.InputFile;
import tools.jackson.databind.JsonNode;

/**
 * Reads a request's {@code files}: {@code [{"path": "data/in.csv", "content": "...", "encoding": "utf-8"}]}, each
 * path checked ({@link InputFilePath}), each content decoded strictly, and the count and sizes within the
 * gateway's input limits. Paths must be unique, and no file may sit where another needs a directory.
 */
final class InputFilesParser {

    private static final String SHAPE = "send {\"path\": \"data/in.csv\", \"content\": \"...\", "
            + "\"encoding\": \"utf-8\" or \"base64\"}";
    private static final Set<String> FIELDS = Set.of("path", "content", "encoding");

    private final int maxFiles;
    private final long maxFileBytes;
    private final long maxBytes;

    InputFilesParser(int maxFiles, long maxFileBytes, long maxBytes) {
        this.maxFiles = maxFiles;
        this.maxFileBytes = maxFileBytes;
        this.maxBytes = maxBytes;
    }

    /** The files, in request order; none when the field is absent or null. Fails with 413 or 422. */
    List<InputFile> parse(JsonNode files) {
        if (files == null || files.isNull()) {
            return List.of();
        }
        if (!files.isArray()) {
            throw InvalidRunRequestException.invalidField("files", "field \"files\" must be an array of files, got "
                    + RunRequestParser.describe(files) + "; " + SHAPE);
        }
        if (files.size() > maxFiles) {
            throw new LimitExceededException("files", files.size(), maxFiles, "request sends " + files.size()
                    + " input files, over MAX_INPUT_FILES (" + maxFiles + ")");
        }
        List<InputFile> parsed = new ArrayList<>();
        Placement placement = new Placement();
        long total = 0;
        for (int index = 0; index < files.size(); index++) {
            InputFile file = parseFile(index, files.get(index));
            placement.place(index, file.path());
            if (file.content().length > maxFileBytes) {
                throw new InputTooLargeException("files[" + index + "].content", file.content().length,
                        maxFileBytes, "input file " + file.path() + " is " + file.content().length
                        + " bytes, over MAX_INPUT_FILE_BYTES (" + maxFileBytes + ")");
            }
            total += file.content().length;
            parsed.add(file);
        }
        if (total > maxBytes) {
            throw new InputTooLargeException("files", total, maxBytes, "input files take " + total
                    + " bytes together, over MAX_INPUT_BYTES (" + maxBytes + ")");
        }
        return List.copyOf(parsed);
    }

    private static InputFile parseFile(int index, JsonNode file) {
        if (!file.isObject()) {
            throw new InvalidInputFileException(index, null, "must be an object, got "
                    + RunRequestParser.describe(file) + "; " + SHAPE);
        }
        for (String field : file.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new InvalidInputFileException(index, null, "unknown field \"" + field + "\"; " + SHAPE);
            }
        }
        String path = text(index, null, file, "path");
        InputFilePath.problem(path).ifPresent(problem -> {
            throw new InvalidInputFileException(index, path, problem);
        });
        String content = text(index, path, file, "content");
        JsonNode encoding = file.get("encoding");
        if (encoding == null || encoding.isNull() || "utf-8".equals(encoding.stringValue(null))) {
            return new InputFile(path, utf8(index, path, content));
        }
        if ("base64".equals(encoding.stringValue(null))) {
            return new InputFile(path, base64(index, path, content));
        }
        throw new InvalidInputFileException(index, path, "encoding must be \"utf-8\" (the default) or \"base64\", got "
                + (encoding.isString() ? "\"" + abbreviate(encoding.stringValue()) + "\""
                        : RunRequestParser.describe(encoding)));
    }

    private static String text(int index, String path, JsonNode file, String field) {
        JsonNode value = file.get(field);
        if (value == null) {
            throw new InvalidInputFileException(index, path, "missing required field \"" + field + "\"; " + SHAPE);
        }
        if (!value.isString()) {
            throw new InvalidInputFileException(index, path, "field \"" + field + "\" must be a string, got "
                    + RunRequestParser.describe(value));
        }
        return value.stringValue();
    }

    /** why strict: a lone surrogate has no UTF-8 form, and replacing it would store other bytes than were sent. */
    private static byte[] utf8(int index, String path, String content) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(content));
            byte[] encoded = new byte[bytes.remaining()];
            bytes.get(encoded);
            return encoded;
        } catch (CharacterCodingException e) {
            throw new InvalidInputFileException(index, path, "content is not valid Unicode text (an unpaired "
                    + "surrogate escape); send the bytes as base64");
        }
    }

    /**
     * Strict RFC 4648 base64: the standard alphabet, padded, no line breaks, and no stray bits in the last
     * character, so one content has exactly one encoding and what the caller hashed is what runs.
     */
    private static byte[] base64(int index, String path, String content) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(content);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputFileException(index, path, "content is not valid base64 (" + e.getMessage()
                    + "); use the standard alphabet A-Z a-z 0-9 + / with = padding and no line breaks");
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(content)) {
            throw new InvalidInputFileException(index, path, "content is not canonical base64: it must be padded "
                    + "with = to a multiple of 4 characters, and its last character must carry no stray bits");
        }
        return decoded;
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }

    /** Where each file goes: a path taken by a file can't be another's directory, nor the other way round. */
    private static final class Placement {

        private final Map<String, Integer> files = new HashMap<>();
        private final Map<String, Integer> directories = new HashMap<>();

        void place(int index, String path) {
            Integer same = files.get(path);
            if (same != null) {
                throw new InvalidInputFileException(index, path, "path is also the path of files[" + same
                        + "]; each file needs its own path");
            }
            Integer below = directories.get(path);
            if (below != null) {
                throw new InvalidInputFileException(index, path, "path is a directory of files[" + below
                        + "]'s path, so it can't also be a file");
            }
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                String directory = path.substring(0, slash);
                Integer file = files.get(directory);
                if (file != null) {
                    throw new InvalidInputFileException(index, path, "path needs " + directory + " as a directory, "
                            + "but files[" + file + "] is a file of that path");
                }
                directories.putIfAbsent(directory, index);
            }
            files.put(path, index);
        }
    }
}
