package rrunner.gateway.auth;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import rrunner.gateway.mcp.McpProtocol;
import rrunner.gateway.problem.ProblemResponseWriter;
import rrunner.gateway.tenants.RequestRateLimit;
import rrunner.gateway.tenants.Tenant;
import rrunner.gateway.tenants.Tenants;

/**
 * Answers 401 before the request body is read, so an unauthenticated caller can't make the gateway buffer
 * anything, and puts the caller's tenant on the exchange for the controllers. Protected paths are listed (not public
 * ones), so springdoc's and actuator's own paths stay open.
 */
@Component
public class BearerTokenFilter implements WebFilter, Ordered {

    private static final List<PathPattern> PROTECTED = Stream.of("/run", "/jobs", "/jobs/**", "/queue", "/queue/**",
                    "/environments", "/environments/**", "/sessions", "/sessions/**", "/me",
                    McpProtocol.ENDPOINT)
            .map(PathPatternParser.defaultInstance::parse)
            .toList();

    private final Tenants tenants;
    private final RequestRateLimit rateLimit;
    private final ProblemResponseWriter problems;

    public BearerTokenFilter(Tenants tenants, RequestRateLimit rateLimit, ProblemResponseWriter problems) {
        this.tenants = tenants;
        this.rateLimit = rateLimit;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (PROTECTED.stream().noneMatch(pattern -> pattern.matches(path))) {
            return chain.filter(exchange);
        }
        String token = BearerToken.presented(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            return problems.write(exchange, UnauthorizedException.missingToken());
        }
        Optional<Tenant> tenant = tenants.authenticate(token);
        if (tenant.isEmpty()) {
            return problems.write(exchange, UnauthorizedException.invalidToken());
        }
        Tenant.put(exchange, tenant.get());
        return rateLimit.refusal(exchange, tenant.get())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(refusal -> refusal.isPresent() ? problems.write(exchange, refusal.get())
                        : chain.filter(exchange));
    }

    /** First, so no other filter does work (or touches the body) for a caller that is not authenticated. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
