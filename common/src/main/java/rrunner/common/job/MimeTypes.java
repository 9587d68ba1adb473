package rrunner.common.job;

import java.util.Locale;
import java.util.Map;

/** Maps artifact file names to MIME types for the file kinds R scripts commonly write. */
public final class MimeTypes {

    static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("ps", "application/postscript"),
            Map.entry("eps", "application/postscript"),
            Map.entry("csv", "text/csv"),
            Map.entry("tsv", "text/tab-separated-values"),
            Map.entry("txt", "text/plain"),
            Map.entry("log", "text/plain"),
            Map.entry("r", "text/plain"),
            Map.entry("md", "text/markdown"),
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"),
            Map.entry("yaml", "application/yaml"),
            Map.entry("yml", "application/yaml"),
            Map.entry("rds", OCTET_STREAM),
            Map.entry("rdata", OCTET_STREAM),
            Map.entry("rda", OCTET_STREAM),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("parquet", "application/vnd.apache.parquet"));

    private MimeTypes() {
    }

    public static String forFilename(String filename) {
        int dot = filename.lastIndexOf('.');
        if (dot < 0 || dot == filename.length() - 1) {
            return OCTET_STREAM;
        }
        String extension = filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(extension, OCTET_STREAM);
    }

    /** Types that stay base64 even when their bytes happen to be valid UTF-8 (a tiny PNG can be). */
    static boolean isBinary(String mimeType) {
        return mimeType.startsWith("image/") && !mimeType.equals("image/svg+xml")
                || mimeType.equals("application/pdf")
                || mimeType.equals("application/zip")
                || mimeType.equals("application/gzip")
                || mimeType.startsWith("application/vnd.");
    }
}
