/**
 * The OpenAPI 3.1 document at {@code /openapi.json} (and Swagger UI at {@code /docs}). LLM tool callers and
 * generated clients consume it, so the {@code POST /run} schemas, examples and errors are written out here by
 * hand rather than inferred, and {@code InfoEndpointsIT} checks them against {@code GET /schema}.
 */
package rrunner.gateway.openapi;
