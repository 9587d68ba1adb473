/**
 * Named environments as callers see them: {@code GET /environments} and {@code GET /environments/{name}} (image,
 * R version, status over the live workers, limits, packages), and whether a live worker serves an environment
 * now, which {@code POST /run} and {@code POST /jobs} check before queueing.
 */
package rrunner.gateway.environments;
