package rrunner.gateway.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a webhook may be sent to: any public unicast address, and whatever the operator's allow-list
 * ({@code WEBHOOK_ALLOWED_CIDRS}) names; never loopback, private, shared (CGNAT), link-local (the cloud metadata
 * service at 169.254.169.254), unique-local, multicast, unspecified, reserved or documentation ranges, nor an IPv6
 * address that carries one of those IPv4 addresses inside it (mapped, compatible, NAT64, 6to4).
 */
final class AddressPolicy {

    private record Range(Cidr cidr, String what) {
    }

    private static final List<Range> REFUSED = List.of(
            range("0.0.0.0/8", "unspecified (this network)"),
            range("10.0.0.0/8", "private (RFC 1918)"),
            range("100.64.0.0/10", "shared address space (CGNAT, RFC 6598)"),
            range("127.0.0.0/8", "loopback"),
            range("169.254.0.0/16", "link-local (cloud metadata services live here)"),
            range("172.16.0.0/12", "private (RFC 1918)"),
            range("192.0.0.0/24", "IETF protocol assignments"),
            range("192.0.2.0/24", "documentation (TEST-NET-1)"),
            range("192.168.0.0/16", "private (RFC 1918)"),
            range("198.18.0.0/15", "benchmarking"),
            range("198.51.100.0/24", "documentation (TEST-NET-2)"),
            range("203.0.113.0/24", "documentation (TEST-NET-3)"),
            range("224.0.0.0/4", "multicast"),
            range("240.0.0.0/4", "reserved (and broadcast)"),
            range("::/128", "unspecified"),
            range("::1/128", "loopback"),
            range("100::/64", "discard-only"),
            range("2001:db8::/32", "documentation"),
            range("fc00::/7", "unique local (ULA)"),
            range("fe80::/10", "link-local"),
            range("fec0::/10", "site-local"),
            range("ff00::/8", "multicast"));
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final List<Cidr> allowed;

    AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Why {@code address} may not be sent to, or empty when it may. */
    Optional<String> refusal(InetAddress address) {
        if (isAllowed(address)) {
            return Optional.empty();
        }
        Optional<String> own = refusedRange(address);
        if (own.isPresent()) {
            return own.map(what -> address.getHostAddress() + " is " + what);
        }
        return embeddedIpv4(address)
                .filter(inner -> !isAllowed(inner))
                .flatMap(inner -> refusedRange(inner).map(what -> address.getHostAddress() + " carries "
                        + inner.getHostAddress() + ", which is " + what));
    }

    private boolean isAllowed(InetAddress address) {
        return allowed.stream().anyMatch(cidr -> cidr.contains(address));
    }

    private static Optional<String> refusedRange(InetAddress address) {
        return REFUSED.stream().filter(range -> range.cidr().contains(address)).findFirst().map(Range::what);
    }

    /**
     * The IPv4 address inside an IPv6 one that routes to it: IPv4-mapped ({@code ::ffff:a.b.c.d}, which Java mostly
     * turns into IPv4 itself), IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}) and 6to4
     * ({@code 2002:AABB:CCDD::}).
     */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(bytes, 0, 10), new byte[10]);
        if (firstTenZero && ((bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff)
                || (bytes[10] == 0 && bytes[11] == 0))) {
            return Optional.of(ipv4(bytes, 12));
        }
        if (NAT64.contains(address)) {
            return Optional.of(ipv4(bytes, 12));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return Optional.of(ipv4(bytes, 2));
        }
        return Optional.empty();
    }

    private static InetAddress ipv4(byte[] bytes, int from) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, from, from + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static Range range(String cidr, String what) {
        return new Range(Cidr.parse(cidr), what);
    }
}
