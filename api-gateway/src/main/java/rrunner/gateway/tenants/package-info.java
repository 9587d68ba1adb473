/**
 * Who a request acts for: the tenants of {@code RUNNER_TOKENS_FILE} (re-read while the gateway runs) and the tenant
 * {@code default} of {@code RUNNER_TOKEN}, each with its weight and limits, and the exchange attribute that carries
 * the authenticated one to the controllers.
 */
package rrunner.gateway.tenants;
