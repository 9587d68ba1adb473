/**
 * What happens to a job while it runs, as an append-only, per-job Redis stream: queued, started, output
 * chunks and finished. Late readers replay from the start; the stream entry id doubles as the SSE event id.
 */
package rrunner.common.event;
