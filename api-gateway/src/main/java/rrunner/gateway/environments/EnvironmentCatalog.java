package rrunner.gateway.environments;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.RedisKeys;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.common.system.ImageInventory;

/**
 * What callers may pick, read fresh from the workers' heartbeats and published inventories on every call (an
 * occasional question whose answer should be current), for {@code /environments} and the MCP tools alike.
 */
@Component
public class EnvironmentCatalog {

    private final Environments environments;
    private final WorkerRegistry workers;
    private final HeartbeatProperties heartbeat;
    private final RedisReactiveCommands<String, String> redis;
    private final RedisKeys keys;

    EnvironmentCatalog(Environments environments, WorkerRegistry workers, HeartbeatProperties heartbeat,
            StatefulRedisConnection<String, String> connection, JobQueue queue) {
        this.environments = environments;
        this.workers = workers;
        this.heartbeat = heartbeat;
        this.redis = connection.reactive();
        this.keys = queue.keys();
    }

    /** Every enabled environment, the default first, without packages. */
    public Mono<EnvironmentList> list() {
        List<Environment> all = environments.all();
        String[] inventoryKeys = all.stream().map(environment -> keys.inventory(environment.name()))
                .toArray(String[]::new);
        Mono<Map<String, ImageInventory>> inventories = redis.mget(inventoryKeys)
                .filter(KeyValue::hasValue)
                .collectMap(KeyValue::getKey, entry -> JsonCodec.read(entry.getValue(), ImageInventory.class),
                        HashMap::new);
        return Mono.zip(reports(), inventories).map(both -> new EnvironmentList(
                environments.defaultEnvironment().name(),
                all.stream().map(environment -> EnvironmentView.summary(environment, both.getT1(),
                        both.getT2().get(keys.inventory(environment.name())))).toList()));
    }

    /** One environment with its installed packages; fails with 404 for a name no environment has. */
    public Mono<EnvironmentView> describe(String name) {
        Environment environment = environments.find(name)
                .orElseThrow(() -> new EnvironmentNotFoundException(name, environments.names()));
        Mono<Optional<ImageInventory>> inventory = redis.get(keys.inventory(name))
                .map(json -> Optional.of(JsonCodec.read(json, ImageInventory.class)))
                .defaultIfEmpty(Optional.empty());
        return Mono.zip(reports(), inventory)
                .map(both -> EnvironmentView.details(environment, both.getT1(), both.getT2().orElse(null)));
    }

    private Mono<WorkerReports> reports() {
        return workers.liveWorkers(heartbeat.workerMaxAge())
                .map(live -> WorkerReports.of(live, environments.defaultEnvironment().name()));
    }
}
