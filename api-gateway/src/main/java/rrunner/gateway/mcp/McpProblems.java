package rrunner.gateway.mcp;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/** What {@code /mcp} refuses before MCP reads the message, as problems with a stable type like every other error. */
final class McpProblems {

    private McpProblems() {
    }

    static ErrorResponseException invalid(String detail) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, ProblemType.INVALID_MCP_REQUEST.problem(detail),
                null);
    }

    /** One answer for an unknown, expired or another tenant's session, so an id reveals nothing about others. */
    static ErrorResponseException sessionNotFound() {
        return new ErrorResponseException(HttpStatus.NOT_FOUND, ProblemType.MCP_SESSION_NOT_FOUND.problem(
                "no MCP session of yours has this Mcp-Session-Id here (unknown, ended, or dropped after "
                        + "MCP_SESSION_IDLE_TIMEOUT); send initialize for a new one"), null);
    }
}
