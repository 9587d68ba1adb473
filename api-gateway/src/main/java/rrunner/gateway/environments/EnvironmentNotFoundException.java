package rrunner.gateway.environments;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.common.environment.Environments;
import rrunner.gateway.problem.ProblemType;

/** 404: {@code GET /environments/{name}} of an environment this deployment does not offer. */
public class EnvironmentNotFoundException extends ErrorResponseException {

    EnvironmentNotFoundException(String name, List<String> available) {
        super(HttpStatus.NOT_FOUND, problem(name, available), null);
    }

    private static ProblemDetail problem(String name, List<String> available) {
        // why only a well-formed name is echoed: the path segment can be anything a caller typed
        boolean echo = Environments.NAME.matcher(name).matches();
        ProblemDetail problem = ProblemType.ENVIRONMENT_NOT_FOUND.problem((echo ? "no environment " + name
                : "no such environment") + " here; available: " + String.join(", ", available));
        if (echo) {
            problem.setProperty("environment", name);
        }
        problem.setProperty("available", available);
        return problem;
    }
}
