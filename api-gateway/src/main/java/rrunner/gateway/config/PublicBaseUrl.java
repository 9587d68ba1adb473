package rrunner.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The address callers reach the service at, as advertised in the OpenAPI document. The reference runner took a
 * bare host (what {@code SITE_DOMAIN} holds behind Caddy) and served it over HTTPS, so a value without a scheme
 * gets {@code https://}.
 */
public final class PublicBaseUrl {

    private PublicBaseUrl() {
    }

    /** Trims, adds {@code https://} to a bare host and drops trailing slashes; null and blank stay as they are. */
    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return raw;
        }
        String url = raw.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url.contains("://") ? url : "https://" + url;
    }

    /** True for an absolute http(s) URL with a host. */
    public static boolean isValid(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
