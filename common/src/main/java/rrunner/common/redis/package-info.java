/**
 * Spring wiring both apps import: the Lettuce client built from Boot's Redis connection details (so
 * {@code REDIS_URL} and Testcontainers' {@code @ServiceConnection} both work) plus TLS as the URL says
 * ({@code rediss://}, trusting {@code REDIS_TLS_CA_FILE}), the shared command connection, and the
 * {@link rrunner.common.queue.JobQueue} configured from {@link rrunner.common.redis.QueueProperties}.
 */
package rrunner.common.redis;
