/**
 * Waiting for jobs to finish without a Redis connection per waiting request: one pub/sub subscription per
 * gateway instance ({@link rrunner.gateway.completion.CompletionSubscription}) feeds in-memory waiters
 * ({@link rrunner.gateway.completion.CompletionWaiters}), which read the stored job when told it finished.
 */
package rrunner.gateway.completion;
