package rrunner.gateway.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problem {@code type}s a client can branch on instead of parsing {@code detail}. Each is a stable URI of its
 * own; problems not listed here keep {@code about:blank}, where the status says it all.
 */
public enum ProblemType {

    /** 400: {@code Last-Event-ID} is not a stream entry id whose two parts fit in 64 bits. */
    INVALID_LAST_EVENT_ID("invalid-last-event-id", "Invalid Last-Event-ID"),
    /** 422: the body's JSON names the same property twice, so readers may disagree on its value. */
    DUPLICATE_PROPERTY("duplicate-property", "Duplicate JSON property"),
    /** 503: Redis refused a write because it reached its memory limit. */
    JOB_STORE_FULL("job-store-full", "Job store full"),
    /** 404 as the last event of a stream: the job was deleted from Redis while a client followed it. */
    JOB_GONE("job-gone", "Job gone");

    /**
     * why a URN: the type has to stay the same whatever host serves it (a URL relative to the service would
     * change with PUBLIC_BASE_URL) and needs no documentation server; RFC 9457 allows non-resolvable types.
     */
    private static final String PREFIX = "urn:rrunner:problem:";

    private final URI uri;
    private final String title;

    ProblemType(String name, String title) {
        this.uri = URI.create(PREFIX + name);
        this.title = title;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    /** A problem of this type with {@code status} and {@code detail}. */
    public ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(uri);
        problem.setTitle(title);
        return problem;
    }
}
