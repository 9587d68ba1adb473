package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rrunner.deploy.Yamls.listAt;
import static rrunner.deploy.Yamls.mapAt;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way r-runner starts Redis caps its memory and forbids eviction: the queue's own state lives in Redis, so
 * evicting a key would lose a job or a lease. The run command, compose, the Helm chart and the image must agree,
 * with REDIS_MAXMEMORY's default from .env.example.
 */
class RedisMemoryTest {

    private static final Pattern IMAGE_CMD = Pattern.compile("^CMD (\\[.*])$", Pattern.MULTILINE);

    @TempDir
    Path tempDir;

    @Test
    void theRunCommandsRedisIsCappedWithoutEviction() {
        Bash.Result result = Bash.source("run.sh",
                "unset REDIS_MAXMEMORY; redis_server_args 6390 /tmp/redis-data", tempDir, Map.of());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.lines())
                .containsSubsequence("--maxmemory", documentedDefault())
                .containsSubsequence("--maxmemory-policy", "noeviction")
                .containsSubsequence("--port", "6390");
    }

    @Test
    void theRunCommandTakesTheCapFromTheEnvironment() {
        Bash.Result result = Bash.source("run.sh", "redis_server_args 6390 /tmp/redis-data", tempDir,
                Map.of("REDIS_MAXMEMORY", "2gb"));

        assertThat(result.lines()).containsSubsequence("--maxmemory", "2gb");
    }

    @Test
    void composesRedisIsCappedWithoutEviction() {
        List<Object> command = listAt(mapAt(Yamls.load(RepositoryFiles.read("compose.yaml")), "services.redis"), "command");

        assertThat(command)
                .containsSubsequence("--maxmemory", "${REDIS_MAXMEMORY:-" + documentedDefault() + "}")
                .containsSubsequence("--maxmemory-policy", "noeviction");
    }

    @Test
    void theChartsRedisIsCappedWithoutEviction() {
        List<Object> args = listAt(RenderedChart.render().container("StatefulSet", "-redis", "redis"), "args");
        List<Object> overridden = listAt(
                RenderedChart.render("redis.maxmemory", "3gb").container("StatefulSet", "-redis", "redis"), "args");

        assertThat(args)
                .containsSubsequence("--maxmemory", documentedDefault())
                .containsSubsequence("--maxmemory-policy", "noeviction");
        assertThat(overridden).containsSubsequence("--maxmemory", "3gb");
    }

    @Test
    void theChartRefusesRedisWithoutACap() {
        assertThatThrownBy(() -> RenderedChart.render("redis.maxmemory", "0")).hasMessageContaining("maxmemory");
    }

    @Test
    void theImagesDefaultCommandIsCappedWithoutEviction() {
        String dockerfile = RepositoryFiles.read("images/redis/Dockerfile").replace("\\\n", "");
        Matcher cmd = IMAGE_CMD.matcher(dockerfile);

        assertThat(cmd.find()).as("a CMD in JSON form in images/redis/Dockerfile").isTrue();
        assertThat(Yamls.list(Yamls.loadValue(cmd.group(1))))
                .containsSubsequence("--maxmemory", documentedDefault())
                .containsSubsequence("--maxmemory-policy", "noeviction");
    }

    @Test
    void theDeploymentGuideExplainsTheCap() {
        assertThat(RepositoryFiles.read("docs/deployment.md"))
                .contains("`REDIS_MAXMEMORY`", "`redis.maxmemory`", "noeviction", "`" + documentedDefault() + "`");
    }

    /** REDIS_MAXMEMORY in .env.example, compose-only: the apps never read it. */
    private static String documentedDefault() {
        return EnvExample.entries().stream()
                .filter(e -> e.name().equals("REDIS_MAXMEMORY"))
                .filter(EnvExample.Entry::composeOnly)
                .map(EnvExample.Entry::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError(".env.example has no compose-only REDIS_MAXMEMORY"));
    }
}
