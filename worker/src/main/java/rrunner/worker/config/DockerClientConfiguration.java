package rrunner.worker.config;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.common.job.JobSpec;

/** The one Docker API client of the worker: Apache HttpClient 5 transport, {@code DOCKER_HOST} honoured. */
@Configuration(proxyBeanMethods = false)
public class DockerClientConfiguration {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    // why: the transport applies this as the socket read timeout to streaming responses too, and a script may
    // print nothing for its whole run while we hold its exec stream open; it must exceed the longest script
    // timeout, so it only guards against a daemon that stopped answering altogether.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(JobSpec.MAX_TIMEOUT_SECONDS).plusMinutes(5);

    /**
     * Each running job holds up to two streams at once (script output, then artifact archive) besides its control
     * calls, and pulls and inventories add a few more; running out of connections would stall jobs silently.
     */
    static int maxConnectionsFor(int concurrency) {
        return Math.max(64, 4 * concurrency + 16);
    }

    @Bean(destroyMethod = "close")
    DockerClient dockerClient(WorkerProperties worker) {
        return create(maxConnectionsFor(worker.resolvedConcurrency()));
    }

    /**
     * The transport under {@link #dockerClient}, by that bean's name so a test wrapping the client keeps the real
     * transport; the client closes it.
     */
    @Bean(destroyMethod = "")
    DockerHttpClient dockerTransport(@Qualifier("dockerClient") DockerClient docker) {
        return transportOf(docker);
    }

    /** The client as the worker builds it; tests and tools use this so they talk to Docker the same way. */
    public static DockerClient create(int maxConnections) {
        return create(DefaultDockerClientConfig.createDefaultConfigBuilder().build(), maxConnections);
    }

    /**
     * The transport under a client made here. Streams whose reading may be cut short are read on it directly:
     * closing docker-java's own stream reads the rest of the body first, closing the transport's response aborts.
     */
    public static DockerHttpClient transportOf(DockerClient docker) {
        if (docker instanceof DockerClientImpl impl && impl.getHttpClient() != null) {
            return impl.getHttpClient();
        }
        throw new IllegalArgumentException("a DockerClient made by DockerClientConfiguration is needed, got "
                + docker.getClass().getName());
    }

    /** The same client for the engine {@code config} names; tests point it at engines that fail on purpose. */
    public static DockerClient create(DockerClientConfig config, int maxConnections) {
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
