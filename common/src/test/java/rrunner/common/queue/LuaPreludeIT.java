package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.job.JobId;
import rrunner.common.testing.RedisTestContainer;

@Testcontainers
class LuaPreludeIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(RedisTestContainer.url(REDIS));
        connection = client.connect();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    @Test
    void theScriptsKeyHelpersBuildTheKeysRedisKeysBuildsWhateverThePrefix() {
        RedisKeys keys = new RedisKeys("o'dd\\pre\tfix:ü");
        JobId id = JobId.random();

        List<Object> built = LuaScript.load("key_helpers", keys).<List<Object>>run(connection.reactive(),
                ScriptOutputType.MULTI, new String[0], id.value(), "w-1").blockLast();

        assertThat(built).containsExactly(keys.job(id), keys.events(id), keys.worker("w-1"));
    }

    @Test
    void aNameJavaDoesNotDefineIsAnErrorNotNil() {
        LuaScript misspelt = LuaScript.load("misspelt_name", new RedisKeys("test"));

        assertThatThrownBy(() -> misspelt.run(connection.reactive(), ScriptOutputType.VALUE, new String[0])
                .blockLast()).isInstanceOf(RedisException.class).hasMessageContaining("no such name: RUNING");
    }
}
