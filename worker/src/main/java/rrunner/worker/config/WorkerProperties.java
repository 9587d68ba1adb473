package rrunner.worker.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How this worker takes and runs jobs.
 *
 * @param id {@code WORKER_ID}: names this worker in leases, labels and logs; blank means host name plus a
 *     random suffix, so two workers on one host never share an id
 * @param concurrency {@code WORKER_CONCURRENCY}: jobs run at once; 0 means one per CPU core
 * @param pollInterval {@code WORKER_POLL_INTERVAL}: longest an idle worker sleeps before looking again, as a
 *     backstop for wake-up signals lost with a crashed worker (retries and rescued jobs wait on it too)
 * @param rescueInterval {@code RESCUE_INTERVAL}: how often expired leases are looked for
 * @param reaperInterval {@code REAPER_INTERVAL}: how often containers left by crashed workers are looked for
 * @param shutdownGrace {@code WORKER_SHUTDOWN_GRACE}: how long SIGTERM waits for running jobs before handing
 *     them back to the queue
 * @param overrunGrace {@code WORKER_OVERRUN_GRACE}: how long past its script's time limit a job's run may go on
 *     (container start, artifact collection, result write) before the worker gives the job up: it stops renewing
 *     the lease and kills the container, so a worker stuck in a Docker call cannot hold a job forever
 */
@Validated
@ConfigurationProperties("rrunner.worker")
public record WorkerProperties(
        String id,
        @Min(0) int concurrency,
        @NotNull Duration pollInterval,
        @NotNull Duration rescueInterval,
        @NotNull Duration reaperInterval,
        @NotNull Duration shutdownGrace,
        @NotNull Duration overrunGrace) {

    public String resolvedId() {
        if (!id.isBlank()) {
            return id;
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "worker");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public int resolvedConcurrency() {
        return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors();
    }
}
