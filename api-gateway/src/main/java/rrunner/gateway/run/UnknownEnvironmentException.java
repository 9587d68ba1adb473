package rrunner.gateway.run;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.common.environment.Environments;
import rrunner.gateway.problem.ProblemType;

/** 422: the request names an environment this deployment does not offer; the problem lists those it does. */
public class UnknownEnvironmentException extends ErrorResponseException {

    UnknownEnvironmentException(String requested, List<String> available) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(requested, available), null);
    }

    private static ProblemDetail problem(String requested, List<String> available) {
        // why only a well-formed name is echoed: the field can be any string up to the body limit
        boolean echo = Environments.NAME.matcher(requested).matches();
        ProblemDetail problem = ProblemType.UNKNOWN_ENVIRONMENT.problem((echo ? "environment \"" + requested + "\""
                : "the requested environment") + " is not offered here; available: " + String.join(", ", available));
        if (echo) {
            problem.setProperty("environment", requested);
        }
        problem.setProperty("available", available);
        return problem;
    }
}
