/**
 * Waiting for jobs without a Redis connection per waiting request: one pub/sub subscription per gateway instance
 * ({@link rrunner.gateway.completion.JobNoticeSubscription}) hands completions and event notices to in-memory
 * {@link rrunner.gateway.completion.JobNoticeListener}s; {@link rrunner.gateway.completion.CompletionWaiters} is
 * the one for callers waiting for a job to finish.
 */
package rrunner.gateway.completion;
