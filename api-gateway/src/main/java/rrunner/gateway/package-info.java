/**
 * The gateway: a stateless WebFlux app that authenticates callers, admits and queues runs on Redis, and waits
 * for their results. Each subpackage owns one feature; wiring lives in {@code config}.
 */
package rrunner.gateway;
