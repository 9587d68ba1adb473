package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/** 400: the {@code Idempotency-Key} header is empty, too long, repeated or not printable ASCII. */
class InvalidIdempotencyKeyException extends ErrorResponseException {

    InvalidIdempotencyKeyException(String detail) {
        super(HttpStatus.BAD_REQUEST, ProblemType.INVALID_IDEMPOTENCY_KEY.problem(detail), null);
    }
}
