package rrunner.worker.ops;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Pings the Docker engine: a worker whose engine does not answer can't run jobs, so it should not look ready.
 * docker-java blocks, so the ping runs on a bounded-elastic thread, and the answer waits at most
 * {@link #PING_TIMEOUT}. A ping still pending is shared by the next checks instead of started again: a hung
 * engine holds a ping's thread for the transport's response timeout (minutes), and probes every few seconds
 * would pile such threads up.
 */
public class DockerHealthIndicator implements ReactiveHealthIndicator {

    static final Duration PING_TIMEOUT = Duration.ofSeconds(3);

    private final DockerClient docker;
    private CompletableFuture<Health> pending;

    public DockerHealthIndicator(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromFuture(currentPing(), true)
                .timeout(PING_TIMEOUT, Mono.fromSupplier(() -> Health.down()
                        .withDetail("error", "the Docker engine did not answer within " + PING_TIMEOUT.toSeconds()
                                + " s")
                        .build()));
    }

    private synchronized CompletableFuture<Health> currentPing() {
        if (pending == null || pending.isDone()) {
            pending = CompletableFuture.supplyAsync(this::ping, task -> Schedulers.boundedElastic().schedule(task));
        }
        return pending;
    }

    private Health ping() {
        try {
            docker.pingCmd().exec();
            return Health.up().build();
        } catch (RuntimeException e) {
            return Health.down(e).build();
        }
    }
}
