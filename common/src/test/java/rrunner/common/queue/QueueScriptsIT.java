package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static rrunner.common.job.JobState.CANCELLED;
import static rrunner.common.job.JobState.FAILED;
import static rrunner.common.job.JobState.QUEUED;
import static rrunner.common.job.JobState.RUNNING;
import static rrunner.common.job.JobState.SUCCEEDED;
import static rrunner.common.job.JobState.TIMED_OUT;
import static rrunner.common.testing.Jobs.aSuccessfulResult;
import static rrunner.common.testing.Jobs.aTrivialSpec;

import io.github.resilience4j.core.IntervalFunction;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisMonitor;
import rrunner.common.testing.RedisTestContainer;

/**
 * The queue's Lua scripts on a real Redis: they move jobs only as {@link JobState} allows, and take their names
 * and keys from Java through the generated prelude. Each scenario of the queue's life runs while Redis'
 * {@code MONITOR} records every command executed; the state writes are then replayed per key, so the check does not
 * rely on the scripts (or their {@code move} function) reporting on themselves.
 */
@Testcontainers
class QueueScriptsIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private static final RedisKeys KEYS = new RedisKeys("test");
    private static final Duration LONG_LEASE = Duration.ofSeconds(15);
    private static final Duration SHORT_LEASE = Duration.ofMillis(100);

    private RedisMonitor monitor;

    @BeforeEach
    void watchRedis() {
        monitor = RedisMonitor.open(REDIS.getHost(), REDIS.getMappedPort(6379));
    }

    @AfterEach
    void stopWatching() {
        monitor.close();
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("enqueue", 3, LONG_LEASE, queue -> queue.enqueue(aTrivialSpec()).block(),
                        QUEUED),
                new Scenario("claim, renew and append", 3, LONG_LEASE, queue -> {
                    ClaimedJob job = claimed(queue);
                    queue.renew(job).block();
                    queue.appendEvents(job, List.of(JobEvent.of(JobEventType.STDOUT, "1"))).block();
                }, QUEUED, RUNNING),
                finishing(SUCCEEDED),
                finishing(FAILED),
                finishing(TIMED_OUT),
                new Scenario("cancel a running job, whose worker then ends it", 3, LONG_LEASE, queue -> {
                    ClaimedJob job = claimed(queue);
                    queue.cancel(job.id()).block();
                    queue.finish(job, CANCELLED, null).block();
                }, QUEUED, RUNNING, CANCELLED),
                new Scenario("a finish and an append after the job finished change nothing", 3, LONG_LEASE,
                        queue -> {
                            ClaimedJob job = claimed(queue);
                            queue.finish(job, SUCCEEDED, aSuccessfulResult("1")).block();
                            assertThatThrownBy(() -> queue.finish(job, FAILED, null).block())
                                    .isInstanceOf(LeaseLostException.class);
                            assertThatThrownBy(() -> queue.appendEvents(job,
                                    List.of(JobEvent.of(JobEventType.STDOUT, "late"))).block())
                                    .isInstanceOf(LeaseLostException.class);
                        }, QUEUED, RUNNING, SUCCEEDED),
                new Scenario("release retries the job", 3, LONG_LEASE, queue -> {
                    ClaimedJob job = claimed(queue);
                    queue.release(job, "Docker API error").block();
                    ClaimedJob retry = await().atMost(Duration.ofSeconds(5))
                            .until(() -> queue.claim("w2").block(), claimed -> claimed != null);
                    queue.finish(retry, SUCCEEDED, aSuccessfulResult("1")).block();
                }, QUEUED, RUNNING, QUEUED, RUNNING, SUCCEEDED),
                new Scenario("release at max attempts gives up", 1, LONG_LEASE,
                        queue -> queue.release(claimed(queue), "Docker API error").block(),
                        QUEUED, RUNNING, FAILED),
                new Scenario("hand back", 1, LONG_LEASE, queue -> {
                    queue.handBack(claimed(queue)).block();
                    queue.claim("w2").block();
                }, QUEUED, RUNNING, QUEUED, RUNNING),
                new Scenario("hand back after a cancel", 3, LONG_LEASE, queue -> {
                    ClaimedJob job = claimed(queue);
                    queue.cancel(job.id()).block();
                    queue.handBack(job).block();
                }, QUEUED, RUNNING, CANCELLED),
                new Scenario("rescue of an expired lease", 3, SHORT_LEASE, queue -> {
                    claimed(queue);
                    rescued(queue);
                }, QUEUED, RUNNING, QUEUED),
                new Scenario("rescue at max attempts gives up", 1, SHORT_LEASE, queue -> {
                    claimed(queue);
                    rescued(queue);
                }, QUEUED, RUNNING, FAILED),
                new Scenario("rescue of a job whose cancel was requested", 3, SHORT_LEASE, queue -> {
                    queue.cancel(claimed(queue).id()).block();
                    rescued(queue);
                }, QUEUED, RUNNING, CANCELLED),
                new Scenario("cancel a queued job", 3, LONG_LEASE,
                        queue -> queue.cancel(queue.enqueue(aTrivialSpec()).block().id()).block(),
                        QUEUED, CANCELLED),
                new Scenario("cancel a finished job changes nothing", 3, LONG_LEASE, queue -> {
                    ClaimedJob job = claimed(queue);
                    queue.finish(job, SUCCEEDED, aSuccessfulResult("1")).block();
                    queue.cancel(job.id()).block();
                }, QUEUED, RUNNING, SUCCEEDED),
                new Scenario("withdraw a queued job", 3, LONG_LEASE,
                        queue -> queue.withdraw(queue.enqueue(aTrivialSpec()).block().id()).block(),
                        QUEUED, CANCELLED),
                new Scenario("withdraw leaves a running job alone", 3, LONG_LEASE,
                        queue -> queue.withdraw(claimed(queue).id()).block(),
                        QUEUED, RUNNING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theScriptsMoveJobsOnlyAsJobStateAllows(Scenario scenario) {
        scenario.steps().accept(new JobQueue(KEYS, scenario.policy(), REDIS_CLIENT.reactive()));

        Map<String, List<JobState>> histories = stateHistories(
                monitor.commandsUntilEcho(marker -> REDIS_CLIENT.sync().echo(marker)));

        histories.forEach((key, history) -> assertThat(moves(history)).filteredOn(move -> !move.allowed())
                .as("moves of %s that JobState forbids", key).isEmpty());
        assertThat(histories.values()).as("each job's states in order").containsExactly(scenario.states());
    }

    @Test
    void theScenariosBetweenThemMakeEveryMoveJobStateAllows() {
        Set<Move> allowed = everyMove().filter(Move::allowed).collect(Collectors.toSet());

        assertThat(scenarios().flatMap(scenario -> moves(scenario.states()).stream()))
                .containsOnlyElementsOf(allowed).containsAll(allowed);
    }

    /** Every pair of states, and a job not stored yet (null) to each state. */
    static Stream<Move> everyMove() {
        List<JobState> from = new ArrayList<>(Arrays.asList(JobState.values()));
        from.add(0, null);
        return from.stream().flatMap(state -> Arrays.stream(JobState.values()).map(to -> new Move(state, to)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMove")
    void thePreludesMoveRefusesWhatJobStateForbids(Move move) {
        JobId id = JobId.random();
        if (move.from() != null) {
            REDIS_CLIENT.sync().hset(KEYS.job(id), JobField.STATE.wireName(), move.from().wireName());
        }
        LuaScript forceMove = LuaScript.load("force_move", KEYS);

        Runnable attempt = () -> forceMove.run(REDIS_CLIENT.reactive(), ScriptOutputType.INTEGER,
                new String[] {KEYS.job(id)}, move.to().wireName()).blockLast();

        if (move.allowed()) {
            attempt.run();
            assertThat(REDIS_CLIENT.sync().hget(KEYS.job(id), JobField.STATE.wireName()))
                    .isEqualTo(move.to().wireName());
        } else {
            assertThatThrownBy(attempt::run).isInstanceOf(RedisException.class).hasMessageContaining("forbidden move");
            assertThat(REDIS_CLIENT.sync().hget(KEYS.job(id), JobField.STATE.wireName()))
                    .isEqualTo(move.from() == null ? null : move.from().wireName());
        }
    }

    @Test
    void theKeyHelpersBuildTheKeysRedisKeysBuildsWhateverThePrefix() {
        RedisKeys keys = new RedisKeys("o'dd\\pre\tfix:ü");
        JobId id = JobId.random();

        List<Object> built = LuaScript.load("key_helpers", keys).<List<Object>>run(REDIS_CLIENT.reactive(),
                ScriptOutputType.MULTI, new String[0], id.value(), "w-1").blockLast();

        assertThat(built).containsExactly(keys.job(id), keys.events(id), keys.worker("w-1"));
    }

    @Test
    void aNameJavaDoesNotDefineIsAnErrorNotNil() {
        LuaScript misspelt = LuaScript.load("misspelt_name", KEYS);

        assertThatThrownBy(() -> misspelt.run(REDIS_CLIENT.reactive(), ScriptOutputType.VALUE, new String[0])
                .blockLast()).isInstanceOf(RedisException.class).hasMessageContaining("no such name: RUNING");
    }

    private static Scenario finishing(JobState terminal) {
        return new Scenario("finish " + terminal.wireName(), 3, LONG_LEASE,
                queue -> queue.finish(claimed(queue), terminal, aSuccessfulResult("1")).block(),
                QUEUED, RUNNING, terminal);
    }

    private static ClaimedJob claimed(JobQueue queue) {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("w1").block();
        assertThat(claimed.id()).isEqualTo(job.id());
        return claimed;
    }

    private static void rescued(JobQueue queue) {
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.rescueExpired().block() == 1);
    }

    /**
     * The states written to each key, in order, read off the commands: {@code HSET}/{@code HMSET key field value
     * ...} and {@code HSETNX key field value} that set the job hash's state field.
     */
    private static Map<String, List<JobState>> stateHistories(List<List<String>> commands) {
        Map<String, List<JobState>> histories = new LinkedHashMap<>();
        for (List<String> command : commands) {
            String name = command.get(0).toUpperCase(Locale.ROOT);
            if (!Set.of("HSET", "HMSET", "HSETNX").contains(name)) {
                continue;
            }
            for (int i = 2; i + 1 < command.size(); i += 2) {
                if (command.get(i).equals(JobField.STATE.wireName())) {
                    histories.computeIfAbsent(command.get(1), key -> new ArrayList<>())
                            .add(JobState.fromWireName(command.get(i + 1)));
                }
            }
        }
        return histories;
    }

    /** The moves of one job's history: from nothing (null) to its first state, then from each to the next. */
    private static List<Move> moves(List<JobState> history) {
        List<Move> moves = new ArrayList<>();
        JobState from = null;
        for (JobState to : history) {
            moves.add(new Move(from, to));
            from = to;
        }
        return moves;
    }

    /** One write of a job's state; {@code from} is null for a job not stored yet. */
    record Move(JobState from, JobState to) {

        boolean allowed() {
            return from == null ? to == JobState.initial() : from.canMoveTo(to);
        }

        @Override
        public String toString() {
            return (from == null ? "(new)" : from.wireName()) + " -> " + to.wireName();
        }
    }

    /** A run of queue calls on one job, and the states it must pass through in order. */
    record Scenario(String name, QueuePolicy policy, Consumer<JobQueue> steps, List<JobState> states) {

        Scenario(String name, int maxAttempts, Duration lease, Consumer<JobQueue> steps, JobState... states) {
            this(name, new QueuePolicy(maxAttempts, 0, lease, Duration.ofMinutes(5),
                    IntervalFunction.of(Duration.ofMillis(1)), 1000), steps, List.of(states));
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
