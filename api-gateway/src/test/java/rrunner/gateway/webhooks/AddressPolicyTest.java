package rrunner.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private final AddressPolicy policy = new AddressPolicy(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254",
        "127.0.0.1", "127.255.255.254", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255",
        "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1", "198.51.100.7", "203.0.113.7", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "100::1", "2001:db8::1", "fc00::1", "fd12:3456:789a::1", "fe80::1", "fec0::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1",
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:c0a8:101::1"})
    void refusesEverySpecialRange(String address) {
        assertThat(policy.refusal(literal(address))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255",
        "172.32.0.1", "169.253.255.255", "192.167.255.255", "2606:2800:220:1:248:1893:25c8:1946",
        "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void allowsPublicAddresses(String address) {
        assertThat(policy.refusal(literal(address))).isEmpty();
    }

    @Test
    void saysWhichRangeAnAddressIsIn() {
        assertThat(policy.refusal(literal("169.254.169.254"))).hasValueSatisfying(why -> assertThat(why)
                .contains("link-local"));
        assertThat(policy.refusal(literal("::127.0.0.1"))).hasValueSatisfying(why -> assertThat(why)
                .contains("carries 127.0.0.1").contains("loopback"));
    }

    @Test
    void theOperatorsAllowListOpensARangeAndNothingElse() {
        AddressPolicy intranet = new AddressPolicy(List.of(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00::/8")));

        assertThat(intranet.refusal(literal("10.1.2.3"))).isEmpty();
        assertThat(intranet.refusal(literal("::ffff:10.1.2.3"))).isEmpty();
        assertThat(intranet.refusal(literal("fd00::5"))).isEmpty();
        assertThat(intranet.refusal(literal("10.2.0.1"))).isPresent();
        assertThat(intranet.refusal(literal("127.0.0.1"))).isPresent();
    }

    @Test
    void aCidrMatchesOnlyItsPrefixBits() {
        Cidr cgnat = Cidr.parse("100.64.0.0/10");

        assertThat(cgnat.contains(literal("100.64.0.0"))).isTrue();
        assertThat(cgnat.contains(literal("100.127.255.255"))).isTrue();
        assertThat(cgnat.contains(literal("100.128.0.0"))).isFalse();
        assertThat(cgnat.contains(literal("::ffff:6440:1"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(literal("10.0.0.1"))).isFalse();
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
