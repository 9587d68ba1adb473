package rrunner.gateway.problem;

import org.springframework.http.HttpStatusCode;

/**
 * Told of every error answer so the ones that turn a request away can be counted. Ops counts them as a metric;
 * the error handling every feature uses knows only this, so it does not depend on ops.
 */
public interface RejectionCounter {

    /** Counts an error answer if it is a rejection; {@code error} is what caused it, or null. */
    void count(HttpStatusCode status, Throwable error);
}
