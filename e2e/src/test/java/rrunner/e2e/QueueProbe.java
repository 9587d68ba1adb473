package rrunner.e2e;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.RedisKeys;
import rrunner.common.testing.Jobs;
import rrunner.common.testing.SharedSettings;

/**
 * The tests' own view of a deployment's queue in Redis: jobs put there directly (so a test knows their ids) and
 * what the stored jobs and their event streams say afterwards. Blocking; test threads only.
 */
final class QueueProbe implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final JobQueue queue;

    QueueProbe(String redisUrl, String prefix) {
        this.client = RedisClient.create(redisUrl);
        this.connection = client.connect();
        this.queue = new JobQueue(new RedisKeys(prefix), SharedSettings.queuePolicy(), connection.reactive());
    }

    JobRecord enqueue(String script) {
        return queue.enqueue(Jobs.aSpec(script)).block(WAIT);
    }

    JobRecord find(JobId id) {
        return queue.find(id).block(WAIT);
    }

    /** Every job stored under the prefix. */
    List<JobId> jobIds() {
        JobId any = JobId.random();
        String someJob = queue.keys().job(any);
        // why the id check: each job's event stream (RedisKeys.events) shares its hash's key as a prefix
        String jobs = someJob.substring(0, someJob.length() - any.value().length());
        return connection.sync().keys(jobs + "*").stream()
                .map(key -> key.substring(jobs.length()))
                .filter(JobId::isWellFormed)
                .map(JobId::new)
                .toList();
    }

    /** How many events of {@code type} the job's stream holds. */
    long count(JobId id, JobEventType type) {
        return events(id).stream().filter(t -> t == type).count();
    }

    /** The job's events' types, in order. */
    List<JobEventType> events(JobId id) {
        return queue.events(id, null).map(JobEvent::type).collectList().block(WAIT);
    }

    /** The worker named by each of the job's {@code started} events, in order. */
    List<String> startedBy(JobId id) {
        return queue.events(id, null).filter(event -> event.type() == JobEventType.STARTED)
                .map(JobEvent::data).collectList().block(WAIT);
    }

    /** The id on every sandbox label of this deployment ({@code rrunner.deployment}), once a worker made it. */
    String deploymentId() {
        return connection.sync().get(queue.keys().deployment());
    }

    /** The ids of the workers in the heartbeat registry. */
    List<String> workers() {
        return connection.sync().zrange(queue.keys().workers(), 0, -1);
    }

    long leases() {
        return connection.sync().zcard(queue.keys().leases());
    }

    /** Jobs waiting in any tenant's line. */
    long waiting() {
        return connection.sync().llen(queue.keys().waiting());
    }

    /** Tenants the fair claim may pick from: those with a job in their line. */
    long claimableTenants() {
        return connection.sync().zcard(queue.keys().claimableTenants());
    }

    /** Makes Redis forget everything, as a restart without persistence would. */
    void flushAll() {
        connection.sync().flushall();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
