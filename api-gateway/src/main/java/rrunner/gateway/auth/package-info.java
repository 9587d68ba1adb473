/**
 * Bearer-token authentication of the paths that run or manage jobs ({@code /run}, {@code /jobs}, {@code /queue});
 * everything else (health, system, schema, docs) is public, as in the reference runner.
 */
package rrunner.gateway.auth;
