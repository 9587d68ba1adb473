/**
 * Bearer-token authentication of the paths that run or manage jobs and sessions ({@code /run}, {@code /jobs},
 * {@code /sessions}, {@code /queue}, {@code /me}): the token names the caller's tenant, and the tenant's request rate
 * is checked here, before any body is read; everything else (health, system, schema, docs) is public, as in the
 * reference runner.
 */
package rrunner.gateway.auth;
