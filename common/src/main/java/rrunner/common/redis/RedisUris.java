package rrunner.common.redis;

import io.lettuce.core.RedisURI;
import java.util.List;
import java.util.stream.Collectors;

/** Redis URIs as startup messages show them: every server, database and master, never credentials. */
public final class RedisUris {

    private RedisUris() {
    }

    public static String describe(RedisURI uri) {
        List<RedisURI> sentinels = uri.getSentinels();
        if (sentinels.isEmpty()) {
            return (uri.isSsl() ? "rediss" : "redis") + "://" + address(uri) + "/" + uri.getDatabase();
        }
        return (uri.isSsl() ? "rediss-sentinel" : "redis-sentinel") + "://"
                + sentinels.stream().map(RedisUris::address).collect(Collectors.joining(","))
                + "/" + uri.getDatabase() + "#" + uri.getSentinelMasterId();
    }

    private static String address(RedisURI server) {
        return server.getHost() + ":" + server.getPort();
    }
}
