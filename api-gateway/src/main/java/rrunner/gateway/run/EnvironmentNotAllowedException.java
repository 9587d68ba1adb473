package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.tenants.Tenant;

/**
 * 403: the environment is offered, but not to the caller's tenant. why 403 and not 422 as for an unknown one: the
 * request is well-formed and the name exists; it is this caller that may not use it, which no edit of the body
 * short of another environment fixes. The problem lists the environments the tenant may use.
 */
public class EnvironmentNotAllowedException extends ErrorResponseException {

    EnvironmentNotAllowedException(String environment, Tenant tenant) {
        super(HttpStatus.FORBIDDEN, problem(environment, tenant), null);
    }

    private static ProblemDetail problem(String environment, Tenant tenant) {
        ProblemDetail problem = ProblemType.ENVIRONMENT_NOT_ALLOWED.problem("tenant " + tenant.id()
                + " may not use environment \"" + environment + "\"; it may use: "
                + String.join(", ", tenant.limits().environments()));
        problem.setProperty("environment", environment);
        problem.setProperty("allowed", tenant.limits().environments());
        return problem;
    }
}
