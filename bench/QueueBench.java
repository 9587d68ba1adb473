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
import rrunner.common.queue.TenantPolicy;
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
 *   <li>{@code fairness REDIS_URL PREFIX CLAIMS}: the fair claim among tenants. Claim shares of tenants weighted
 *   3:2:1 over CLAIMS claims, once with every job ending as it starts and once with eight busy slots (the oldest job
 *   ends first); how many claims and milliseconds a one-job tenant waits behind a tenant with 25/3 CLAIMS jobs
 *   waiting, claimed by four workers; and a claim's cost (round trip, and Redis's own time per script call from INFO
 *   commandstats) with 1 and with 100 tenants waiting. Prints one JSON object.
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
            } else if (args[0].equals("fairness")) {
                fairness(shared, keys.prefix(), Integer.parseInt(args[3]));
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

    /** Each part on keys of its own (PREFIX-part), since the benchmark's Redis also serves its gateway and worker. */
    private static void fairness(StatefulRedisConnection<String, String> shared, String prefix, int claims)
            throws Exception {
        Map<String, Integer> weights = Map.of("w3", 3, "w2", 2, "w1", 1);
        Map<String, Integer> instant = shares(queueOn(shared, prefix + "-instant"), weights, claims, 0);
        Map<String, Integer> busy = shares(queueOn(shared, prefix + "-busy"), weights, claims, 8);

        // why scaled by CLAIMS: the reduced benchmark in CI runs a tenth of the full one
        int flood = claims * 25 / 3;
        int claimedFirst = claims * 5 / 3;
        JobQueue queue = queueOn(shared, prefix + "-flood");
        submit(queue, "flood", TenantPolicy.UNLIMITED, flood);
        AtomicInteger claimed = new AtomicInteger();
        Map<String, Long> smallClaimedAt = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String workerId = "fair-" + i;
            workers.add(started(() -> {
                while (!done.get()) {
                    ClaimedJob job = queue.claim(workerId).block();
                    if (job == null) {
                        continue;
                    }
                    int number = claimed.incrementAndGet();
                    if (job.spec().tenant().equals("small")) {
                        smallClaimedAt.put("at", System.nanoTime());
                        smallClaimedAt.put("claim", (long) number);
                        done.set(true);
                    }
                    queue.finish(job, JobState.SUCCEEDED, RunResult.ofScript(0, "", "", List.of())).block();
                }
            }));
        }
        while (claimed.get() < claimedFirst) {
            Thread.onSpinWait();
        }
        int before = claimed.get();
        long submitted = System.nanoTime();
        queue.enqueue(spec("small"), TenantPolicy.UNLIMITED, null).block();
        for (Thread worker : workers) {
            worker.join();
        }
        long claimsWaited = smallClaimedAt.get("claim") - before;
        double waitedMs = (smallClaimedAt.get("at") - submitted) / 1e6;

        Map<String, Object> cost1 = claimCost(shared, queueOn(shared, prefix + "-cost1"), 1, claims * 10 / 3);
        Map<String, Object> cost100 = claimCost(shared, queueOn(shared, prefix + "-cost100"), 100, claims * 10 / 3);
        System.out.printf(Locale.ROOT, "{\"fairness\": {\"weights\": %s, \"shares_instant\": %s,"
                        + " \"shares_busy\": %s, \"flood_jobs\": %d, \"small_wait_claims\": %d,"
                        + " \"small_wait_ms\": %.2f, \"claim_cost\": {\"1\": %s, \"100\": %s}}}%n",
                json(weights), json(instant), json(busy), flood, claimsWaited, waitedMs, json(cost1), json(cost100));
    }

    /** Claims per tenant over {@code claims} claims; {@code slots} 0: each job ends as it starts. */
    private static Map<String, Integer> shares(JobQueue queue, Map<String, Integer> weights, int claims, int slots) {
        weights.forEach((tenant, weight) -> submit(queue, tenant, new TenantPolicy(weight, 0, 0), claims + slots));
        java.util.ArrayDeque<ClaimedJob> running = new java.util.ArrayDeque<>();
        Map<String, Integer> counted = new java.util.TreeMap<>();
        for (int i = 0; i < claims + slots; i++) {
            if (running.size() == Math.max(1, slots)) {
                finish(queue, running.removeFirst());
            }
            ClaimedJob job = queue.claim("fair").block();
            running.addLast(job);
            if (i >= slots) {
                counted.merge(job.spec().tenant(), 1, Integer::sum);
            }
        }
        return counted;
    }

    /**
     * Sequential claims with {@code tenants} tenants waiting: round trip, and Redis's time per script call (INFO
     * commandstats, reset first; the benchmark's gateway and worker call a few scripts meanwhile, a small error).
     */
    private static Map<String, Object> claimCost(StatefulRedisConnection<String, String> shared, JobQueue queue,
            int tenants, int claims) {
        for (int t = 0; t < tenants; t++) {
            submit(queue, "t" + t, TenantPolicy.UNLIMITED, claims / tenants + 1);
        }
        shared.sync().configResetstat();
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < claims; i++) {
            long start = System.nanoTime();
            ClaimedJob job = queue.claim("cost").block();
            millis.add((System.nanoTime() - start) / 1e6);
            // why not finish: a finish is another script call, and the Redis figure is the claim's alone
            if (job == null) {
                throw new IllegalStateException("nothing to claim at claim " + i);
            }
        }
        Collections.sort(millis);
        double usecPerCall = 0;
        for (String line : shared.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:")) {
                Matcher m = Pattern.compile("usec_per_call=([0-9.]+)").matcher(line);
                usecPerCall = m.find() ? Double.parseDouble(m.group(1)) : 0;
            }
        }
        return new java.util.LinkedHashMap<>(Map.of("p50_ms", percentile(millis, 50), "p99_ms",
                percentile(millis, 99), "redis_usec_per_claim", usecPerCall));
    }

    private static JobQueue queueOn(StatefulRedisConnection<String, String> shared, String prefix) {
        return new JobQueue(new RedisKeys(prefix), withoutAdmissionLimit(), shared.reactive());
    }

    private static void submit(JobQueue queue, String tenant, TenantPolicy policy, int jobs) {
        reactor.core.publisher.Flux.range(0, jobs).flatMap(i -> queue.enqueue(spec(tenant), policy, null), 64)
                .blockLast();
    }

    private static JobSpec spec(String tenant) {
        return new JobSpec("cat(1)", 30, 10, 1000, JobSpec.DEFAULT_MAX_RESULT_BYTES, null, 0, 0, List.of(), null,
                tenant);
    }

    private static void finish(JobQueue queue, ClaimedJob job) {
        queue.finish(job, JobState.SUCCEEDED, RunResult.ofScript(0, "", "", List.of())).block();
    }

    private static String json(Map<String, ?> map) {
        List<String> entries = new ArrayList<>();
        map.forEach((key, value) -> entries.add("\"" + key + "\": " + (value instanceof Double d
                ? String.format(Locale.ROOT, "%.3f", d) : value)));
        return "{" + String.join(", ", entries) + "}";
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
