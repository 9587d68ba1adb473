package rrunner.gateway.environments;

import java.time.Duration;
import org.springframework.http.ProblemDetail;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.problem.RetryLaterException;

/** 503: workers are live, but none serves the environment now (not ready, not pulling its image). */
public class EnvironmentUnavailableException extends RetryLaterException {

    /** Long enough for a worker to finish starting or pulling; an environment no worker is set up for stays out. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    EnvironmentUnavailableException(String environment, EnvironmentStatus status) {
        super(problem(environment, status), RETRY_AFTER);
    }

    private static ProblemDetail problem(String environment, EnvironmentStatus status) {
        ProblemDetail problem = ProblemType.ENVIRONMENT_UNAVAILABLE.problem("no live worker serves environment "
                + environment + " now (" + status.wireName() + "); retry later, or pick another from "
                + "GET /environments");
        problem.setProperty("environment", environment);
        return problem;
    }
}
