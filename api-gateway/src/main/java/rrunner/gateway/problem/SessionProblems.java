package rrunner.gateway.problem;

import java.time.Duration;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.common.session.SessionRefusedException;

/** The problem each way a session operation can be refused answers with, and its members. */
public final class SessionProblems {

    /** An exec runs in seconds; a caller retrying after one rarely finds the session still busy. */
    static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);
    /** Sessions end by TTL or deletion, in minutes rather than seconds. */
    static final Duration FULL_RETRY_AFTER = Duration.ofSeconds(30);

    private SessionProblems() {
    }

    public static ErrorResponseException of(SessionRefusedException refused) {
        String id = refused.session() == null ? null : refused.session().value();
        return switch (refused.kind()) {
            case NOT_FOUND -> notFound(id);
            case ENDED -> {
                ProblemDetail problem = withSession(ProblemType.SESSION_ENDED.problem("session " + id + " is "
                        + refused.state().wireName() + ": " + refused.reason()), id);
                problem.setProperty("session_status", refused.state().wireName());
                problem.setProperty("reason", refused.reason());
                yield respond(problem);
            }
            case BUSY -> {
                ProblemDetail problem = withSession(ProblemType.SESSION_BUSY.problem("session " + id + " is "
                        + refused.state().wireName() + "; it runs one exec at a time"), id);
                problem.setProperty("session_status", refused.state().wireName());
                yield new RetryLaterException(problem, BUSY_RETRY_AFTER);
            }
            case OWNER_LIMIT -> new RetryLaterException(withCounts(ProblemType.SESSION_LIMIT.problem(
                    "you have " + refused.current() + " live sessions, the most allowed (SESSION_MAX_PER_TOKEN); "
                            + "delete one or let it expire"), refused), FULL_RETRY_AFTER);
            case FILES_BACKLOG -> unresponsive(id, "its worker has " + refused.limit() + " file requests "
                    + "waiting, the most it may");
            case FLEET_LIMIT -> new RetryLaterException(withCounts(ProblemType.SESSION_CAPACITY.problem(
                    "the workers hold " + refused.current() + " sessions, all they have room for; retry later"),
                    refused), FULL_RETRY_AFTER);
        };
    }

    /** 404 for {@code id}, which may not even be well-formed. */
    public static ErrorResponseException notFound(String id) {
        return respond(withSession(ProblemType.SESSION_NOT_FOUND.problem("no session " + id + " (it never existed, "
                + "is another caller's, or ended long enough ago to be forgotten)"), id));
    }

    /** 503: the session ended before it became ready, or no worker took it in time. */
    public static RetryLaterException notStarted(String id, String reason, Duration retryAfter) {
        ProblemDetail problem = withSession(ProblemType.SESSION_NOT_STARTED.problem(
                "session " + id + " could not be started: " + reason), id);
        problem.setProperty("reason", reason);
        return new RetryLaterException(problem, retryAfter);
    }

    /** 404: nothing at {@code path} in the session's workspace. */
    public static ErrorResponseException fileNotFound(String id, String path) {
        return respond(withPath(withSession(ProblemType.FILE_NOT_FOUND.problem("no file " + path
                + " in session " + id + "'s workspace"), id), path));
    }

    /** 422: the file is larger than the caller may be sent. */
    public static ErrorResponseException fileTooLarge(String id, String path, long limit) {
        ProblemDetail problem = withPath(withSession(ProblemType.FILE_TOO_LARGE.problem(path + " is larger than "
                + limit + " bytes (MAX_ARTIFACT_BYTES), the most a file read sends"), id), path);
        problem.setProperty("limit", limit);
        return respond(problem);
    }

    /** 507: the workspace has no room for the file put. */
    public static ErrorResponseException workspaceFull(String id, String path, String detail) {
        return respond(withPath(withSession(ProblemType.WORKSPACE_FULL.problem(detail
                + "; delete files from the session's workspace, or put a smaller one"), id), path));
    }

    /** 503: the session's worker did not answer a file request, or failed it. */
    public static RetryLaterException unresponsive(String id, String reason) {
        ProblemDetail problem = withSession(ProblemType.SESSION_UNRESPONSIVE.problem("session " + id
                + " did not complete the file request: " + reason), id);
        problem.setProperty("reason", reason);
        return new RetryLaterException(problem, BUSY_RETRY_AFTER);
    }

    private static ProblemDetail withPath(ProblemDetail problem, String path) {
        problem.setProperty("path", path);
        return problem;
    }

    private static ErrorResponseException respond(ProblemDetail problem) {
        return new ErrorResponseException(HttpStatusCode.valueOf(problem.getStatus()), problem, null);
    }

    private static ProblemDetail withSession(ProblemDetail problem, String id) {
        problem.setProperty("session_id", id);
        return problem;
    }

    private static ProblemDetail withCounts(ProblemDetail problem, SessionRefusedException refused) {
        problem.setProperty("limit", refused.limit());
        problem.setProperty("current", refused.current());
        return problem;
    }
}
