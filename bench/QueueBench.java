import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.QueuePolicy;
import rrunner.common.queue.RedisKeys;
import rrunner.common.queue.WorkSignal;
import rrunner.common.testing.SharedSettings;

/**
 * The queue protocol on a real Redis, without containers, for bench/run.sh; run from the common module's class path
 * as a single-file program ({@code java -cp ... bench/QueueBench.java MODE ...}).
 *
 * <ul>
 *   <li>{@code queue REDIS_URL PREFIX WORKERS WAITERS JOBS}: WAITERS callers each enqueue a job, wait for its
 *   completion through one shared pub/sub subscription (as a gateway does) and check its stored result; WORKERS
 *   simulated workers claim and finish jobs at once. Prints one JSON object: jobs/s and the dispatch latency from
 *   enqueue to the waiter being told.
 *   <li>{@code fake-worker REDIS_URL PREFIX WORKERS}: claims jobs queued by a real gateway and finishes each at once
 *   with stdout set to the text of the script's {@code cat('...')}, so every caller can recognise its own answer.
 *   Runs until killed.
 * </ul>
 */
public final class QueueBench {

    private static final Pattern CAT = Pattern.compile("cat\\('([^']*)'\\)");

    public static void main(String[] args) throws Exception {
        RedisClient client = RedisClient.create(args[1]);
        RedisKeys keys = new RedisKeys(args[2]);
        try (StatefulRedisConnection<String, String> shared = client.connect()) {
            JobQueue queue = new JobQueue(keys, withoutAdmissionLimit(), shared.reactive());
            if (args[0].equals("queue")) {
                queue(client, shared, queue, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]));
            } else {
                List<Thread> workers = startWorkers(client, queue, Integer.parseInt(args[3]), new AtomicBoolean());
                for (Thread worker : workers) {
                    worker.join();
                }
            }
        } finally {
            client.shutdown();
        }
    }

    /** The shipped queue settings, but with no admission limit and results kept long enough to be read back. */
    private static QueuePolicy withoutAdmissionLimit() {
        return SharedSettings.queuePolicy("MAX_QUEUE_DEPTH", "0", "RESULT_TTL", "10m");
    }

    private static void queue(RedisClient client, StatefulRedisConnection<String, String> shared, JobQueue queue,
            int workerCount, int waiterCount, int jobs) throws Exception {
        Map<JobId, CompletableFuture<Long>> waiters = new ConcurrentHashMap<>();
        StatefulRedisPubSubConnection<String, String> completions = client.connectPubSub();
        completions.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                CompletableFuture<Long> waiter = waiters.remove(new JobId(message));
                if (waiter != null) {
                    waiter.complete(System.nanoTime());
                }
            }
        });
        completions.sync().subscribe(queue.keys().completions());
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> workers = startWorkers(client, queue, workerCount, done);
        // why a warm-up: the first jobs pay for class loading, JIT and Redis loading the Lua scripts
        callers(queue, waiters, waiterCount, Math.max(waiterCount, jobs / 5), new ArrayList<>());
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        double redisCpuBefore = redisCpuSeconds(shared);
        long clientCpuBefore = clientCpuNanos();
        long start = System.nanoTime();
        int errors = callers(queue, waiters, waiterCount, jobs, latencies);
        double seconds = (System.nanoTime() - start) / 1e9;
        double redisCpuMsPerJob = (redisCpuSeconds(shared) - redisCpuBefore) * 1000 / jobs;
        double clientCpuMsPerJob = (clientCpuNanos() - clientCpuBefore) / 1e6 / jobs;
        done.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        completions.close();
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "{\"queue\": {\"workers\": %d, \"waiters\": %d, \"jobs\": %d, "
                        + "\"jobs_per_s\": %.1f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f, "
                        + "\"errors\": %d, \"redis_cpu_ms_per_job\": %.3f, \"client_cpu_ms_per_job\": %.3f}}%n",
                workerCount, waiterCount, jobs, sorted.size() / seconds, percentile(sorted, 50),
                percentile(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1), errors,
                redisCpuMsPerJob, clientCpuMsPerJob);
    }

    /** Runs {@code jobs} jobs from {@code count} caller threads; returns how many failed. */
    private static int callers(JobQueue queue, Map<JobId, CompletableFuture<Long>> waiters, int count, int jobs,
            List<Double> latencies) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            callers.add(started(() -> {
                while (next.getAndIncrement() < jobs) {
                    try {
                        latencies.add(oneJob(queue, waiters));
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread caller : callers) {
            caller.join();
        }
        return errors.get();
    }

    /** Enqueue, wait to be told, check the stored result; returns the milliseconds until the waiter was told. */
    private static double oneJob(JobQueue queue, Map<JobId, CompletableFuture<Long>> waiters) {
        String text = "job-" + System.nanoTime();
        long start = System.nanoTime();
        JobRecord queued = queue.enqueue(new JobSpec("cat('" + text + "')", 30, 10, 1000)).block();
        CompletableFuture<Long> told = new CompletableFuture<>();
        waiters.put(queued.id(), told);
        // why: a completion published before the waiter was registered is only seen in the stored job
        JobRecord now = queue.find(queued.id()).block();
        if (now != null && now.state().isTerminal() && waiters.remove(queued.id()) != null) {
            told.complete(System.nanoTime());
        }
        long toldAt = told.orTimeout(30, TimeUnit.SECONDS).join();
        JobRecord finished = queue.find(queued.id()).block();
        if (finished == null || !text.equals(finished.result().stdout())) {
            throw new IllegalStateException("wrong result for " + queued.id());
        }
        return (toldAt - start) / 1e6;
    }

    private static List<Thread> startWorkers(RedisClient client, JobQueue queue, int count, AtomicBoolean done) {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String workerId = "bench-worker-" + i;
            StatefulRedisConnection<String, String> blocking = client.connect();
            WorkSignal signal = new WorkSignal(queue.keys(), blocking.reactive());
            workers.add(started(() -> {
                try (blocking) {
                    while (!done.get()) {
                        ClaimedJob job = queue.claim(workerId).block();
                        if (job == null) {
                            signal.await(Duration.ofMillis(200)).block();
                            continue;
                        }
                        Matcher cat = CAT.matcher(job.spec().script());
                        queue.finish(job, JobState.SUCCEEDED, RunResult.ofScript(0, cat.find() ? cat.group(1) : "",
                                "", List.of())).block();
                    }
                }
            }));
        }
        return workers;
    }

    /** CPU Redis's process used so far (INFO cpu), to tell whether its one thread bounds the rate. */
    private static double redisCpuSeconds(StatefulRedisConnection<String, String> redis) {
        double total = 0;
        for (String line : redis.sync().info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }

    /** CPU this JVM used so far: the simulated workers and waiters, and Lettuce. */
    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    private static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }
}
