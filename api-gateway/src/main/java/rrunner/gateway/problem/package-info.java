/**
 * RFC 9457 problem details for every error the gateway answers: the one {@code @RestControllerAdvice}, the
 * writer used by filters that answer before a handler runs, and the shared exceptions with {@code Retry-After}.
 */
package rrunner.gateway.problem;
