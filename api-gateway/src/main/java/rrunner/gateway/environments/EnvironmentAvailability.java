package rrunner.gateway.environments;

import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.environment.Environment;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.common.environment.Environments;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.gateway.ops.OpsProperties;

/**
 * Whether a live worker serves an environment, checked before a job is queued so a request for one nobody serves
 * gets 503 at once instead of waiting out {@code RUN_QUEUE_TIMEOUT_SECONDS}. The live workers are read at most
 * once per {@code OPS_POLL_INTERVAL}, as the queue gauges are, and shared by all requests meanwhile, so the check
 * costs the hot path no Redis call; an environment a worker just started serving is accepted within one interval
 * after its heartbeat.
 *
 * <p>With no live worker at all every enabled environment is accepted and its jobs queue, as before environments:
 * workers read the same {@code RUNNER_ENVIRONMENTS}, and an autoscaler that starts workers from zero does so on
 * queue depth, which a refusal would never raise.
 */
@Component
public class EnvironmentAvailability {

    private final Mono<WorkerReports> reports;

    EnvironmentAvailability(WorkerRegistry workers, HeartbeatProperties heartbeat, OpsProperties ops,
            Environments environments) {
        Duration freshFor = ops.pollInterval();
        String defaultEnvironment = environments.defaultEnvironment().name();
        // why errors and emptiness are not kept: a Redis blip must not be remembered for a whole interval
        this.reports = Mono.defer(() -> workers.liveWorkers(heartbeat.workerMaxAge()))
                .map(live -> WorkerReports.of(live, defaultEnvironment))
                .cache(value -> freshFor, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** Completes when {@code environment} can take jobs now; fails with 503 when live workers all pass it by. */
    public Mono<Void> check(Environment environment) {
        return reports.flatMap(now -> {
            EnvironmentStatus status = now.status(environment.name());
            if (now.liveWorkers() == 0 || status != EnvironmentStatus.UNAVAILABLE) {
                return Mono.empty();
            }
            return Mono.error(new EnvironmentUnavailableException(environment.name(), status));
        });
    }
}
