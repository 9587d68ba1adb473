package rrunner.common.json;

import java.io.OutputStream;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serialises the protocol's records. Unknown fields are ignored so an older worker can read a job written by a
 * newer gateway during a rolling deploy, and missing ones read as zero so the reverse works too.
 */
public final class JsonCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // why: a field an older writer did not know yet (a newer gateway's limit, a newer worker's count) is
            // absent, and reads as 0 for the record to default
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private JsonCodec() {
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** How many UTF-8 bytes {@link #write} would give for {@code value}, counted without holding them. */
    public static long encodedSize(Object value) {
        ByteCounter counter = new ByteCounter();
        MAPPER.writeValue(counter, value);
        return counter.count;
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /** For generic types, such as a map of records. */
    public static <T> T read(String json, TypeReference<T> type) {
        return MAPPER.readValue(json, type);
    }

    private static final class ByteCounter extends OutputStream {

        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }
}
