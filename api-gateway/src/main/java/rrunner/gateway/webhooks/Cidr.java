package rrunner.gateway.webhooks;

import java.net.InetAddress;

/** A block of addresses, {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a block of one. */
record Cidr(InetAddress network, int prefix) {

    Cidr {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of 0.." + bits);
        }
    }

    /** The block {@code text} names; fails with {@link IllegalArgumentException} saying why. */
    static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress network = IpLiteral.parse(address).orElseThrow(() -> new IllegalArgumentException(
                "\"" + text + "\" is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8"));
        int bits = network.getAddress().length * 8;
        try {
            return new Cidr(network, slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" has no whole-number prefix length", e);
        }
    }

    /** Whether {@code address} is in this block; an address of the other family never is. */
    boolean contains(InetAddress address) {
        byte[] block = network.getAddress();
        byte[] candidate = address.getAddress();
        if (block.length != candidate.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (block[i] != candidate[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (block[whole] & mask) == (candidate[whole] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
