package rrunner.gateway.tenants;

/** {@code RUNNER_TOKENS_FILE} can't be read or says something that is no tenant; the message says where and what. */
public class InvalidTokensFileException extends RuntimeException {

    InvalidTokensFileException(String message) {
        super(message);
    }

    InvalidTokensFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
