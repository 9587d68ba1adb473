package rrunner.gateway.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Looks a host name up: every address it has, all of which are checked before any is used. Blocking, so it is only
 * called on a bounded-elastic thread. A bean, so tests can answer as a rebinding DNS server would.
 */
@FunctionalInterface
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The system's resolver (and {@code /etc/hosts}), as the JVM asks it. */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
