package rrunner.gateway.run;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A {@code POST /sessions} body as parsed, before its environment, limits and TTL are resolved.
 *
 * @param environment the environment asked for; null for the default
 * @param limits the limits asked for, each null for the environment's default
 * @param ttlSeconds the idle time to live asked for; null for {@code SESSION_TTL}
 * @param metadata the caller's labels
 */
record SessionRequest(String environment, RequestedLimits limits, BigDecimal ttlSeconds, Map<String, String> metadata) {
}
