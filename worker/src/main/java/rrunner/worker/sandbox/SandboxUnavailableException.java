package rrunner.worker.sandbox;

import com.github.dockerjava.api.exception.DockerException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox could not run the script (image missing, Docker API refused to create, start or attach). The
 * script's own failures are never this: they are results. The message is fit for {@code runtime_stderr}:
 * Docker's own words, no stack trace. Callers hand the job back for another attempt.
 */
public class SandboxUnavailableException extends RuntimeException {

    private static final Pattern DOCKER_MESSAGE = Pattern.compile("\\{\"message\":\"(.*)\"}", Pattern.DOTALL);

    public SandboxUnavailableException(String message) {
        super(message);
    }

    public SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code what} says which step failed ("creating the container"); Docker's message follows it. */
    public static SandboxUnavailableException of(String what, RuntimeException cause) {
        return new SandboxUnavailableException(what + " failed: " + describe(cause), cause);
    }

    /** Docker's message without the HTTP status and JSON wrapping docker-java puts around it. */
    public static String describe(Throwable cause) {
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        if (cause instanceof DockerException) {
            Matcher json = DOCKER_MESSAGE.matcher(message.strip());
            if (json.find()) {
                return json.group(1).replace("\\\"", "\"");
            }
        }
        return message.strip();
    }
}
