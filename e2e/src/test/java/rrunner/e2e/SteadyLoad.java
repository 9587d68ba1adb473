package rrunner.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Callers each keeping one {@code POST /run} in flight through the fleet's front door until stopped, recording
 * every answer. Each request's script prints a marker of its own, so an answer can be matched to its job in Redis.
 * A caller told 503 waits the Retry-After it was given before its next request, as a well-behaved client does:
 * one that retried at once would turn a short outage into a storm that starves the machine.
 */
final class SteadyLoad {

    /**
     * Long enough that requests are in flight on a gateway when it is told to stop, short enough to keep every worker
     * busy; it also keeps the load's CPU (about 0.65 CPU-seconds of container work per job) to about one core of two,
     * leaving the other to the JVMs the operations restart.
     */
    private static final String SCRIPT = "Sys.sleep(2); cat('%s')";

    /**
     * One request and what its caller saw.
     *
     * @param status  the HTTP status, or -1 when no answer came (the failure says why)
     * @param correct a 200 whose stdout is the request's own marker
     * @param retryAfter the answer carried a Retry-After header
     */
    record Call(String marker, int status, boolean correct, boolean retryAfter, long startNanos, long endNanos,
                String failure) {

        Duration waited() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        boolean unavailable() {
            return status == 503 && retryAfter;
        }
    }

    private final Http http;
    private final int callers;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Call> calls = new ArrayList<>();
    private final CountDownLatch stopped;
    private ScheduledExecutorService executor;

    SteadyLoad(Http http, int callers) {
        this.http = http;
        this.callers = callers;
        this.stopped = new CountDownLatch(callers);
    }

    /** Whether a script came from this load, and so must have reached its caller. */
    boolean made(String script) {
        return script.contains("'steady-" + run + "-");
    }

    void start() {
        executor = Executors.newScheduledThreadPool(callers);
        for (int i = 0; i < callers; i++) {
            executor.execute(this::call);
        }
    }

    /** Correct answers so far. */
    synchronized long completed() {
        return calls.stream().filter(Call::correct).count();
    }

    synchronized List<Call> unavailableSince(long nanos) {
        return calls.stream().filter(c -> c.unavailable() && c.endNanos() >= nanos).toList();
    }

    /** Stops sending, waits for the requests in flight to be answered and returns every call. */
    List<Call> stop() throws InterruptedException {
        stopping.set(true);
        boolean answered = stopped.await(5, TimeUnit.MINUTES);
        executor.shutdownNow();
        if (!answered) {
            throw new IllegalStateException("callers still waiting 5 minutes after the load stopped");
        }
        synchronized (this) {
            return List.copyOf(calls);
        }
    }

    /** One request; then the caller's next, at once or after the Retry-After it was told. */
    private void call() {
        if (stopping.get()) {
            stopped.countDown();
            return;
        }
        String marker = "steady-" + run + "-" + sequence.incrementAndGet();
        long start = System.nanoTime();
        Call call;
        long retryAfter = 0;
        try {
            HttpResponse<String> response = http.run(SCRIPT.formatted(marker));
            retryAfter = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L);
            call = new Call(marker, response.statusCode(), isAnswer(response, marker),
                    response.headers().firstValue("Retry-After").isPresent(), start, System.nanoTime(),
                    response.statusCode() == 200 ? "" : response.body());
        } catch (Exception e) {
            call = new Call(marker, -1, false, false, start, System.nanoTime(), e.toString());
        }
        synchronized (this) {
            calls.add(call);
        }
        executor.schedule(this::call, retryAfter, TimeUnit.SECONDS);
    }

    private static boolean isAnswer(HttpResponse<String> response, String marker) {
        if (response.statusCode() != 200) {
            return false;
        }
        JsonNode body = Http.JSON.readTree(response.body());
        return marker.equals(body.path("stdout").asString());
    }
}
