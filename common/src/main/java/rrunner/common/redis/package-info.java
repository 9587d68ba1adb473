/**
 * Spring wiring and settings both apps import: the settings they share ({@code rrunner/shared-settings.yaml} onto
 * {@link rrunner.common.redis.QueueProperties}, {@link rrunner.common.redis.RedisProperties} and
 * {@link rrunner.common.redis.HeartbeatProperties}), the Lettuce client built from {@code REDIS_URL} as given (TLS
 * trusting {@code REDIS_TLS_CA_FILE}, credentials, database, Sentinel), the shared command connection, and the
 * {@link rrunner.common.queue.JobQueue}, {@link rrunner.common.queue.WorkerRegistry} and Redis health check on it.
 */
package rrunner.common.redis;
