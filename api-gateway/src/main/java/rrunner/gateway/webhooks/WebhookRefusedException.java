package rrunner.gateway.webhooks;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/**
 * A webhook that may not be sent where it asks to go: answered 422 at submit; at an attempt, it ends the delivery
 * with its detail as the error (an address that became forbidden stays forbidden for a rebinding attacker).
 */
public class WebhookRefusedException extends ErrorResponseException {

    private static final String FIELD = "webhook.url";

    private WebhookRefusedException(ProblemDetail problem) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem, null);
    }

    static WebhookRefusedException invalid(String detail) {
        ProblemDetail problem = ProblemType.INVALID_WEBHOOK.problem(detail);
        problem.setProperty("field", FIELD);
        return new WebhookRefusedException(problem);
    }

    static WebhookRefusedException forbiddenAddress(String host, String why) {
        ProblemDetail problem = ProblemType.WEBHOOK_ADDRESS_FORBIDDEN.problem("webhook host " + host + " may not be "
                + "sent to: " + why + "; webhooks go to public addresses only, unless the operator allows the range "
                + "(WEBHOOK_ALLOWED_CIDRS)");
        problem.setProperty("field", FIELD);
        return new WebhookRefusedException(problem);
    }

    static WebhookRefusedException noSecret(String tenant) {
        return new WebhookRefusedException(ProblemType.WEBHOOK_SECRET_MISSING.problem("tenant " + tenant + " has no "
                + "webhook secret to sign webhooks with; the operator sets webhook_secrets in RUNNER_TOKENS_FILE "
                + "(or WEBHOOK_SECRETS for the tenant default)"));
    }

    /** What went wrong, as the job view's {@code last_error} shows it. */
    String reason() {
        return getBody().getDetail();
    }
}
