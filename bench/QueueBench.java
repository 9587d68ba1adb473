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
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The queue protocol on a real Redis, without containers, for bench/run.sh; run from the common module's class path
 * as a single-file program ({@code java -cp ... bench/QueueBench.java MODE ...}).
 *
 * <ul>
 *   <li>{@code queue REDIS_URL PREFIX WORKERS RATE JOBS}: JOBS jobs are offered at RATE per second (0: as fast as
 *   256 in flight allow, the ceiling); WORKERS simulated workers claim and finish each at once; each waiter is told
 *   through one shared pub/sub subscription (as a gateway is) and reads the stored result back. Prints one JSON
 *   object: jobs/s delivered, dispatch latency (submit until claimed) and told latency (submit until the waiter is
 *   told), and the CPU per job and share of the elapsed time of Redis and of this JVM, which say what bounds the
 *   figure.
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
                queue(client, queue, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
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

    /**
     * Offers {@code jobs} jobs at {@code rate} per second (0: as fast as {@link #CEILING_IN_FLIGHT} jobs in flight
     * allow) and prints what the queue delivered. Nothing blocks a thread per job: submissions, claims, finishes and
     * the waiters' reads are pipelined on two connections (one for the "gateway", one for the "workers"), so the
     * harness costs a fraction of what Redis does and the figure is the queue's, not the harness's.
     */
    private static void queue(RedisClient client, JobQueue gateway, int workerCount, int rate, int jobs)
            throws Exception {
        try (StatefulRedisConnection<String, String> workerSide = client.connect();
                StatefulRedisPubSubConnection<String, String> completions = client.connectPubSub()) {
            JobQueue workers = new JobQueue(gateway.keys(), gateway.policy(), workerSide.reactive());
            Offer warmUp = new Offer(Math.max(workerCount, jobs / 5));
            Offer measured = new Offer(jobs);
            AtomicReference<Offer> current = new AtomicReference<>(warmUp);
            completions.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    long at = System.nanoTime();
                    Offer offer = current.get();
                    // why read it back: a waiter is only done once it has the stored result, as in the gateway
                    gateway.find(new JobId(message)).subscribe(job -> offer.told(job, at), offer::failed);
                }
            });
            completions.sync().subscribe(gateway.keys().completions());
            AtomicBoolean done = new AtomicBoolean();
            List<Disposable> loops = new ArrayList<>();
            List<StatefulRedisConnection<String, String>> blocking = new ArrayList<>();
            for (int i = 0; i < workerCount; i++) {
                StatefulRedisConnection<String, String> signals = client.connect();
                blocking.add(signals);
                loops.add(workerLoop(workers, "bench-worker-" + i, new WorkSignal(gateway.keys(), signals.reactive()),
                        current, done));
            }
            // why a warm-up: the first jobs pay for class loading, JIT and Redis loading the queue's functions
            warmUp.run(gateway, rate);
            current.set(measured);
            double redisCpuBefore = redisCpuSeconds(workerSide);
            long clientCpuBefore = clientCpuNanos();
            long start = System.nanoTime();
            measured.run(gateway, rate);
            double seconds = (System.nanoTime() - start) / 1e9;
            double redisCpu = redisCpuSeconds(workerSide) - redisCpuBefore;
            double clientCpu = (clientCpuNanos() - clientCpuBefore) / 1e9;
            done.set(true);
            loops.forEach(Disposable::dispose);
            blocking.forEach(StatefulRedisConnection::close);
            System.out.printf(Locale.ROOT, "{\"workers\": %d, \"offered_per_s\": %d, \"jobs\": %d, "
                            + "\"jobs_per_s\": %.1f, \"dispatch_p50_ms\": %.2f, \"dispatch_p99_ms\": %.2f, "
                            + "\"told_p50_ms\": %.2f, \"told_p99_ms\": %.2f, \"errors\": %d, "
                            + "\"redis_cpu_ms_per_job\": %.3f, \"client_cpu_ms_per_job\": %.3f, "
                            + "\"redis_busy\": %.2f, \"client_busy_cores\": %.2f}%n",
                    workerCount, rate, jobs, measured.toldCount() / seconds,
                    measured.dispatch.percentile(50), measured.dispatch.percentile(99),
                    measured.told.percentile(50), measured.told.percentile(99), measured.errors(),
                    redisCpu * 1000 / jobs, clientCpu * 1000 / jobs, redisCpu / seconds, clientCpu / seconds);
        }
    }

    /** Jobs in flight when the offer is not paced: enough to keep every worker and Redis busy. */
    private static final int CEILING_IN_FLIGHT = 256;

    /**
     * A worker that claims, finishes with the script's {@code cat('...')} text as stdout, and claims again; when
     * nothing waits, it blocks on the work signal as the real worker does. One per simulated worker, all pipelined on
     * {@code queue}'s connection.
     */
    private static Disposable workerLoop(JobQueue queue, String workerId, WorkSignal signal,
            AtomicReference<Offer> current, AtomicBoolean done) {
        return Mono.defer(() -> queue.claim(workerId)
                        .flatMap(job -> {
                            current.get().claimed(job);
                            Matcher cat = CAT.matcher(job.spec().script());
                            return queue.finish(job, JobState.SUCCEEDED, RunResult.ofScript(0,
                                    cat.find() ? cat.group(1) : "", "", List.of())).thenReturn(true);
                        })
                        .switchIfEmpty(Mono.defer(() -> signal.await(Duration.ofMillis(200)).thenReturn(false))))
                .repeat(() -> !done.get())
                .subscribe();
    }

    /** One batch of jobs offered to the queue: when each was submitted, claimed and its waiter told. */
    private static final class Offer {
        final int jobs;
        final long[] submittedAt;
        final Latencies dispatch = new Latencies();
        final Latencies told = new Latencies();
        final java.util.BitSet toldJobs = new java.util.BitSet();
        final AtomicInteger failures = new AtomicInteger();
        final java.util.concurrent.CountDownLatch finished;
        final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(CEILING_IN_FLIGHT);

        Offer(int jobs) {
            this.jobs = jobs;
            this.submittedAt = new long[jobs];
            this.finished = new java.util.concurrent.CountDownLatch(jobs);
        }

        /** Submits every job, at {@code rate} per second or (0) as in-flight room allows, and waits for the last. */
        void run(JobQueue gateway, int rate) throws InterruptedException {
            long start = System.nanoTime();
            for (int n = 0; n < jobs; n++) {
                if (rate > 0) {
                    long due = start + (long) (n * 1e9 / rate);
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                } else {
                    inFlight.acquire();
                }
                submittedAt[n] = System.nanoTime();
                gateway.enqueue(new JobSpec("cat('" + n + "')", 30, 10, 1000)).subscribe(job -> { }, this::failed);
            }
            if (!finished.await(60, TimeUnit.SECONDS)) {
                System.err.println(finished.getCount() + " jobs were not told within 60 s");
            }
        }

        void claimed(ClaimedJob job) {
            Matcher cat = CAT.matcher(job.spec().script());
            if (cat.find()) {
                dispatch.add((System.nanoTime() - submittedAt[Integer.parseInt(cat.group(1))]) / 1e6);
            }
        }

        void told(JobRecord job, long at) {
            String stdout = job.result() == null ? null : job.result().stdout();
            int n = stdout == null || !stdout.matches("\\d+") ? -1 : Integer.parseInt(stdout);
            boolean first;
            synchronized (toldJobs) {
                first = n >= 0 && n < jobs && !toldJobs.get(n);
                if (first) {
                    toldJobs.set(n);
                }
            }
            if (!first || !job.spec().script().equals("cat('" + n + "')")) {
                failed(new IllegalStateException("wrong or repeated answer for " + job.id()));
                return;
            }
            told.add((at - submittedAt[n]) / 1e6);
            inFlight.release();
            finished.countDown();
        }

        void failed(Throwable error) {
            if (failures.getAndIncrement() == 0) {
                System.err.println("first failure: " + error);
            }
            inFlight.release();
            finished.countDown();
        }

        int toldCount() {
            synchronized (toldJobs) {
                return toldJobs.cardinality();
            }
        }

        int errors() {
            return failures.get() + (int) finished.getCount();
        }
    }

    /** Milliseconds, added from any thread, read once at the end. */
    private static final class Latencies {
        private final List<Double> values = Collections.synchronizedList(new ArrayList<>());

        void add(double ms) {
            values.add(ms);
        }

        double percentile(int p) {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return QueueBench.percentile(sorted, p);
        }
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
            // why both: the queue's steps are Redis functions (FCALL) since they stopped being scripts (EVALSHA)
            if (line.startsWith("cmdstat_fcall:") || line.startsWith("cmdstat_evalsha:")) {
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
