/**
 * The OpenAPI 3.1 document at {@code /openapi.json} (and Swagger UI at {@code /docs}). LLM tool callers and
 * generated clients consume it, so the schemas, examples, errors and event stream media types of {@code POST /run}
 * and the job API are written out here by hand rather than inferred; {@code InfoEndpointsIT} checks the run result
 * against {@code GET /schema}.
 */
package rrunner.gateway.openapi;
