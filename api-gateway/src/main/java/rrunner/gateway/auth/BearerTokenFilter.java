package rrunner.gateway.auth;

import java.util.List;
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
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.mcp.McpProtocol;
import rrunner.gateway.problem.ProblemResponseWriter;

/**
 * Answers 401 before the request body is read, so an unauthenticated caller can't make the gateway buffer
 * anything. Protected paths are listed (not public ones), so springdoc's and actuator's own paths stay open.
 */
@Component
public class BearerTokenFilter implements WebFilter, Ordered {

    private static final List<PathPattern> PROTECTED = Stream.of("/run", "/jobs", "/jobs/**", "/queue", "/queue/**",
                    "/environments", "/environments/**", "/sessions", "/sessions/**", McpProtocol.ENDPOINT)
            .map(PathPatternParser.defaultInstance::parse)
            .toList();

    private final BearerToken token;
    private final ProblemResponseWriter problems;

    public BearerTokenFilter(GatewayProperties properties, ProblemResponseWriter problems) {
        this.token = new BearerToken(properties.token());
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (PROTECTED.stream().noneMatch(pattern -> pattern.matches(path))) {
            return chain.filter(exchange);
        }
        return switch (token.check(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
            case ACCEPTED -> chain.filter(exchange);
            case MISSING -> problems.write(exchange, UnauthorizedException.missingToken());
            case REJECTED -> problems.write(exchange, UnauthorizedException.invalidToken());
        };
    }

    /** First, so no other filter does work (or touches the body) for a caller that is not authenticated. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
