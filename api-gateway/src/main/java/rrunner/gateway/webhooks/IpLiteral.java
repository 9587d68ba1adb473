package rrunner.gateway.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP addresses written as literals, read without any lookup. Only the canonical spellings count: {@code 127.1},
 * {@code 0x7f000001} or {@code 2130706433} reach loopback through some resolvers, so such a host is refused
 * ({@link #isOddIpv4}), never guessed at.
 */
final class IpLiteral {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** why no zone ({@code %eth0}): a zone only makes sense for link-local addresses, which are refused anyway. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** A label a URL parser may read as a number: decimal, octal with a leading 0, or hex. */
    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9A-Fa-f]*|[0-9]+)");

    private IpLiteral() {
    }

    /** The address {@code text} spells canonically ({@code 10.0.0.1}, {@code ::1}), or empty when it spells none. */
    static Optional<InetAddress> parse(String text) {
        if (!DOTTED_QUAD.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // why no lookup happens: getByName reads a literal without asking DNS, and only literals get here
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code host} would be read as an IPv4 address by some parser without being a canonical dotted quad:
     * its last label is a number ({@code 0x7f000001}, {@code 127.1}, {@code 017700000001}), as the WHATWG URL
     * standard reads it.
     */
    static boolean isOddIpv4(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = name.substring(name.lastIndexOf('.') + 1);
        return NUMBER.matcher(last).matches() && !DOTTED_QUAD.matcher(name).matches();
    }
}
