package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.RedisKeys;
import rrunner.common.testing.Jobs;
import rrunner.common.testing.RedisTestContainer;
import rrunner.common.testing.SharedSettings;

/**
 * Redis stops and comes back while the gateway and a worker run: the gateway answers 503 at once instead of
 * hanging, what Redis stored before the outage survives the restart (AOF), and both running apps recover by
 * themselves.
 */
class RedisOutageE2EIT {

    private static final String TOKEN = "outage-token";
    private static final String PREFIX = "outage";

    @Test
    void answers503DuringAnOutageAndRecoversWithoutLosingAcceptedJobs() throws Exception {
        int redisPort = Env.freePort();
        try (GenericContainer<?> redis = RedisTestContainer.create().withCreateContainerCmdModifier(cmd ->
                cmd.getHostConfig().withPortBindings(new PortBinding(Ports.Binding.bindPort(redisPort),
                        ExposedPort.tcp(6379))))) {
            redis.start();
            String redisUrl = "redis://localhost:" + redisPort;
            Map<String, String> shared = Map.of("REDIS_URL", redisUrl, "REDIS_KEY_PREFIX", PREFIX);
            int port = Env.freePort();
            Http http = new Http("http://localhost:" + port, TOKEN);
            try (AppProcess gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared,
                    Map.of("PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN)));
                    AppProcess worker = AppProcess.start("worker", "rrunner.workerJar", Env.merge(shared,
                            Map.of("WORKER_PORT", Integer.toString(Env.freePort()))))) {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> http.get("/system").statusCode() == 200);
                JobRecord accepted = enqueueDirectly(redisUrl);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> findDirectly(redisUrl, accepted).state().isTerminal());

                DockerClient docker = DockerClientFactory.instance().client();
                docker.stopContainerCmd(redis.getContainerId()).exec();
                long start = System.nanoTime();
                HttpResponse<String> during = http.run("cat(1)");
                Duration answeredIn = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("redis outage: gateway answered %d in %d ms%n", during.statusCode(),
                        answeredIn.toMillis());
                assertThat(during.statusCode()).isEqualTo(503);
                assertThat(during.body()).contains("detail");
                assertThat(answeredIn).isLessThan(Duration.ofSeconds(5));
                assertThat(http.get("/health").statusCode()).isEqualTo(200);

                docker.startContainerCmd(redis.getContainerId()).exec();
                JobRecord survived = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> findDirectly(redisUrl, accepted), job -> job != null);
                assertThat(survived.state()).isEqualTo(JobState.SUCCEEDED);
                assertThat(survived.result().stdout()).isEqualTo("accepted before the outage");
                // why this proves both recovered: the same gateway and worker processes lived through the outage
                HttpResponse<String> after = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> http.run("cat('after')"), r -> r.statusCode() == 200);
                assertThat(after.body()).contains("\"stdout\":\"after\"");
                assertThat(worker.isAlive()).isTrue();
            }
        }
    }

    private static JobRecord enqueueDirectly(String redisUrl) {
        return withQueue(redisUrl, queue -> queue.enqueue(Jobs.aSpec("cat('accepted before the outage')")).block());
    }

    private static JobRecord findDirectly(String redisUrl, JobRecord job) {
        return withQueue(redisUrl, queue -> queue.find(job.id()).block());
    }

    private static JobRecord withQueue(String redisUrl, java.util.function.Function<JobQueue, JobRecord> action) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return action.apply(new JobQueue(new RedisKeys(PREFIX), SharedSettings.queuePolicy(), connection.reactive()));
        } finally {
            client.shutdown();
        }
    }
}
