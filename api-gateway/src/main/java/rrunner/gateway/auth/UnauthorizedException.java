package rrunner.gateway.auth;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/** 401 with the RFC 6750 challenge, so clients know to send {@code Authorization: Bearer <RUNNER_TOKEN>}. */
class UnauthorizedException extends ErrorResponseException {

    private UnauthorizedException(String detail, String challenge) {
        super(HttpStatus.UNAUTHORIZED, ProblemType.UNAUTHORIZED.problem(detail), null);
        getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
    }

    static UnauthorizedException missingToken() {
        return new UnauthorizedException("missing bearer token: send the header Authorization: Bearer <RUNNER_TOKEN>",
                "Bearer realm=\"r-runner\"");
    }

    static UnauthorizedException invalidToken() {
        return new UnauthorizedException("invalid bearer token",
                "Bearer realm=\"r-runner\", error=\"invalid_token\"");
    }
}
