/**
 * RFC 9457 problem details for every error the gateway answers: the one {@code @RestControllerAdvice}, the
 * writer used by filters that answer before a handler runs, the shared exceptions with {@code Retry-After}, and
 * the {@link rrunner.gateway.problem.ProblemType}s clients branch on.
 */
package rrunner.gateway.problem;
