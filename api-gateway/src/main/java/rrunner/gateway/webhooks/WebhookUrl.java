package rrunner.gateway.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A webhook URL that passed the checks that need no lookup: absolute, {@code https} (or {@code http} where the
 * operator allows it), no userinfo or fragment, a host that is a name or a canonical IP literal, at most
 * {@link #MAX_LENGTH} characters.
 *
 * @param uri the URL as sent
 * @param host the host, lower-case, without IPv6 brackets
 * @param port the port, the scheme's default filled in
 * @param literal the address when the host is an IP literal, which is then checked without any lookup
 */
record WebhookUrl(URI uri, String host, int port, Optional<InetAddress> literal) {

    /** why 2048: what browsers and most servers accept; a longer URL is more likely an attack than a callback. */
    static final int MAX_LENGTH = 2048;

    /** {@code text} as a webhook URL; fails with {@link WebhookRefusedException} (invalid-webhook) saying why. */
    static WebhookUrl parse(String text, boolean allowHttp) {
        if (text.length() > MAX_LENGTH) {
            throw WebhookRefusedException.invalid("webhook.url is " + text.length() + " characters, over "
                    + MAX_LENGTH);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw WebhookRefusedException.invalid("webhook.url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw WebhookRefusedException.invalid("webhook.url must be an absolute https:// URL"
                    + (allowHttp ? " (or http://)" : "") + ", got " + (scheme.isEmpty() ? "none" : scheme + ":"));
        }
        if (uri.getRawUserInfo() != null) {
            throw WebhookRefusedException.invalid("webhook.url must not carry a user name or password (user@host)");
        }
        if (uri.getRawFragment() != null) {
            throw WebhookRefusedException.invalid("webhook.url must not have a fragment (#...)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw WebhookRefusedException.invalid("webhook.url has no host name a request can go to");
        }
        String host = unbracketed(uri.getHost().toLowerCase(Locale.ROOT));
        Optional<InetAddress> literal = IpLiteral.parse(host);
        if (literal.isEmpty() && (host.contains(":") || IpLiteral.isOddIpv4(host))) {
            throw WebhookRefusedException.invalid("webhook.url's host " + host + " is an IP address spelt in an "
                    + "unusual way; write IPv4 as four decimal numbers (203.0.113.7) or use a host name");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new WebhookUrl(uri, host, port, literal);
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
