package rrunner.gateway.run;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import rrunner.common.job.JobRecord;
import rrunner.common.job.RunTimings;

/**
 * The W3C {@code Server-Timing} header of a plain {@code POST /run} answer, which says where its time went:
 * {@code queue;dur=12.3, acquire;dur=4.0;desc="warm", run;dur=310.2, collect;dur=41.0, total;dur=380.5}, in
 * milliseconds. The worker's own metrics time the same phases ({@code rrunner.job.queue.wait},
 * {@code rrunner.container.ready}, {@code rrunner.job.run}, {@code rrunner.job.collect}).
 *
 * @param queue from acceptance to the claim of the attempt that ended the job (with retries, the last one); null
 *     when no worker took the job
 * @param worker the phases of that attempt as its worker timed them; null when no worker ended the job
 * @param total from the request to the answer, as the gateway measured it; null for an answer about a job that
 *     ended earlier ({@code GET /jobs/{id}}), where only the job's own phases mean anything
 */
public record ServerTiming(Duration queue, RunTimings worker, Duration total) {

    public static final String HEADER = "Server-Timing";

    /** @param ended the job the answer is about, or null when the answer came before one ended */
    static ServerTiming of(JobRecord ended, Duration total) {
        if (ended == null) {
            return new ServerTiming(null, null, total);
        }
        // why both from the record: they are Redis's clock, so gateway and worker clocks can't skew the wait
        Duration queue = ended.attemptedAt() == null ? null : Duration.between(ended.createdAt(), ended.attemptedAt());
        return new ServerTiming(queue, ended.timings(), total);
    }

    /** The phases of a job that ended with a worker's timings, for any later answer about it. */
    public static ServerTiming phasesOf(JobRecord ended) {
        return new ServerTiming(of(ended, Duration.ZERO).queue(), ended.timings(), null);
    }

    public String header() {
        List<String> metrics = new ArrayList<>();
        if (queue != null) {
            metrics.add(metric("queue", queue));
        }
        if (worker != null) {
            metrics.add(metric("acquire", worker.acquire()) + ";desc=\"" + (worker.warm() ? "warm" : "cold") + "\"");
            metrics.add(metric("run", worker.script()));
            metrics.add(metric("collect", worker.collect()));
        }
        if (total != null) {
            metrics.add(metric("total", total));
        }
        return String.join(", ", metrics);
    }

    /** why BigDecimal: exact rounding and always a decimal point, whatever the JVM's default locale. */
    private static String metric(String name, Duration duration) {
        BigDecimal millis = BigDecimal.valueOf(duration.toNanos(), 6).setScale(1, RoundingMode.HALF_UP);
        return name + ";dur=" + millis.toPlainString();
    }
}
