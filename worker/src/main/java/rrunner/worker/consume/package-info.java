/**
 * Taking jobs and seeing them through: the claim loop, one job's execution with its output streamed as events,
 * lease renewal and the fence that kills a job before a lease Redis stopped confirming can expire, the lifeline
 * schedule that keeps renewal and the heartbeat going while the claim loop drains, stopping a job for a reason
 * (cancel, hand-back at shutdown, lost lease, fence, overrun), rescue of jobs whose worker died, and cancellation
 * requests.
 */
package rrunner.worker.consume;
