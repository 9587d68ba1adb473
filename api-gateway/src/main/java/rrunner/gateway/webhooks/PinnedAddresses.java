package rrunner.gateway.webhooks;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A resolver that answers one host with the addresses already checked for it, and any other host with an error:
 * the client connects to what was checked, while the URL's host still names the request ({@code Host}, TLS SNI and
 * certificate checks), and no second lookup exists for a rebinding DNS server to answer differently.
 */
final class PinnedAddresses extends AddressResolverGroup<InetSocketAddress> {

    private final String host;
    private final List<InetAddress> addresses;

    PinnedAddresses(String host, List<InetAddress> addresses) {
        this.host = host;
        this.addresses = List.copyOf(addresses);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetNameResolver(executor) {
            @Override
            protected void doResolve(String name, Promise<InetAddress> promise) {
                if (host.equalsIgnoreCase(name)) {
                    promise.setSuccess(addresses.get(0));
                } else {
                    promise.setFailure(unchecked(name));
                }
            }

            @Override
            protected void doResolveAll(String name, Promise<List<InetAddress>> promise) {
                if (host.equalsIgnoreCase(name)) {
                    promise.setSuccess(addresses);
                } else {
                    promise.setFailure(unchecked(name));
                }
            }
        }.asAddressResolver();
    }

    private UnknownHostException unchecked(String name) {
        return new UnknownHostException(name + " is not the checked webhook host " + host);
    }
}
