/**
 * Taking jobs and seeing them through: the claim loop, one job's execution with its output streamed as events,
 * lease renewal, rescue of jobs whose worker died, and cancellation requests.
 */
package rrunner.worker.consume;
