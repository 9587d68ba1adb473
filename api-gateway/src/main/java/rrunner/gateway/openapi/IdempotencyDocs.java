package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import rrunner.gateway.run.IdempotencyKeyHeader;

/** The {@code Idempotency-Key} request header and {@code Idempotent-Replayed} answer header of POST /run and /jobs. */
final class IdempotencyDocs {

    private IdempotencyDocs() {
    }

    /** Adds the request header to {@code operation}, and the answer header to its answer with the job. */
    static void document(Operation operation, ApiResponse answer) {
        operation.parameters(List.of(new Parameter().in("header").name(IdempotencyKeyHeader.HEADER).required(false)
                .description("Makes a retry safe (IETF httpapi Idempotency-Key draft, Stripe's rules): the same "
                        + "key with the same request (compared as parsed, not byte for byte) answers with the "
                        + "job the first request made and Idempotent-Replayed: true, waiting for it if it is "
                        + "still running, instead of running the script again; with another request it is a "
                        + "422. Scoped to your tenant; kept as long as the job (RESULT_TTL after it ends). Only "
                        + "a request that made a job stores its key, so after a 400, 401, 413, 422, 429 or 503 "
                        + "the same key may be sent again. 1 to " + IdempotencyKeyHeader.MAX_LENGTH
                        + " printable ASCII characters; a UUID is a good choice.")
                .schema(ApiSchemas.string(null).minLength(1).maxLength(IdempotencyKeyHeader.MAX_LENGTH)
                        .pattern("^[\\x20-\\x7E]+$"))
                .example("8e03978e-40d5-43e8-bc93-6894a57f9324")));
        answer.addHeaderObject(IdempotencyKeyHeader.REPLAYED, ProblemResponses.header("true when this is the "
                + "answer of the job an earlier request with the same Idempotency-Key made; absent otherwise.")
                .schema(ApiSchemas.string(null)._enum(List.of("true"))));
    }
}
