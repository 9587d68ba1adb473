#!/usr/bin/env bash
# The benchmark, in one command:
#
#   bench/run.sh            full run (about 7 minutes on two cores)
#   bench/run.sh --quick    a few requests per phase, for CI: fails if any request failed
#
# It builds the jars (skip with --no-build), starts its own Redis, gateway and worker on free ports with a generated
# token, and stops them at the end. In one sitting it measures:
#   1. POST /run, sequential and concurrent (1, 4, 8), a trivial script and a plot returning a PNG, once with the
#      worker's warm pool off (RUNNER_POOL_SIZE=0) and once on (its default);
#   2. with the pool on, one request at a time and a pause after each (so each finds a prepared sandbox): a plain
#      request, one with a 1 MB input file and one with non-default limits, in turn, each as a ratio to the plain one;
#      and again with only 200 ms between requests;
#   3. the same scripts as 1. as raw `docker run --rm --network none <image> Rscript -e ...`, the baseline;
#   4. the queue protocol alone on real Redis (enqueue, claim, finish, a waiter told), no containers, offered at a
#      fixed rate and then as fast as it goes, pipelined so the harness is not the bound; and the fair
#      claim among tenants: claim shares against weights 3:2:1, a one-job tenant's wait behind a flood, and
#      a claim's cost with 1 and 100 tenants waiting;
#   5. streamed /run: how long after R's cat() each line reaches the client; and sessions: create to ready, trivial
#      execs in a ready session against POST /run of the same script, execs after a package loaded in an earlier
#      exec (BENCH_SESSION_PACKAGE, stats4), and a session container's idle memory; and MCP: run_r of a trivial
#      script over /mcp against POST /run of the same script (the latency MCP adds);
#   6. 1000 /run callers waiting at once, finished by a fake worker: each must get its own answer while the
#      gateway's heap, threads and Redis connections stay bounded.
# It prints one table and writes everything to bench/results/<timestamp>.json. See bench/README.md.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$BENCH_DIR/../scripts/prerequisites.sh"
source "$BENCH_DIR/lib.sh"
cd "$RR_ROOT"

QUICK=""
BUILD=1
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        --no-build) BUILD="" ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) die "unknown argument $arg (try --help)" ;;
    esac
done
if [ -n "$QUICK" ]; then
    REQUESTS=4 CONCURRENCY=1,4 WARMUP=1 CALLERS=50 QUEUE_RATE=1000 QUEUE_JOBS=2000 STREAM_RUNS=1 FAIR_CLAIMS=60
else
    REQUESTS=${BENCH_REQUESTS:-24} CONCURRENCY=1,4,8 WARMUP=3 CALLERS=${BENCH_CALLERS:-1000} QUEUE_RATE=5000 QUEUE_JOBS=25000 STREAM_RUNS=5 FAIR_CLAIMS=600
fi
# Seconds after each request of the paced phase (2.): enough for the pool to prepare the next sandbox.
PAUSE=${BENCH_PAUSE:-1.5}
POOL_MODES=${BENCH_POOL_MODES:-off on}
# Loaded in one session exec, then used by later ones: r-base has no ggplot2, so a base package by default.
SESSION_PACKAGE=${BENCH_SESSION_PACKAGE:-stats4}
IMAGE=${RUNNER_SCRIPT_IMAGE:-r-runner-r-base:latest}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK="$RR_STATE/bench-$STAMP"
mkdir -p "$WORK" "$BENCH_DIR/results"

pids=()
worker_ids=()
cleanup() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    for id in "${worker_ids[@]}"; do
        ids=$(docker ps -aq --filter "label=rrunner.worker=$id" 2>/dev/null || true)
        [ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1 || true
    done
    stop_started_docker
}
trap cleanup EXIT
trap 'exit 130' INT TERM

metric() {  # prometheus URL, metric name, optional label (name="value"): sums the samples carrying it
    curl -fsS "$1" 2>/dev/null | awk -v m="$2" -v l="${3:-}" \
        '(index($0, m " ") == 1 || index($0, m "{") == 1) && index($0, l) {s += $NF} END {print s + 0}'
}

ensure_java
ensure_docker
ensure_images
command -v redis-server >/dev/null || apt_install redis-server
if [ -n "$BUILD" ]; then
    log "building the gateway and worker jars (log: $WORK/build.log)"
    ./mvnw -B -q -DskipTests package -pl api-gateway,worker -am >"$WORK/build.log" 2>&1 \
        || { tail -40 "$WORK/build.log"; die "build failed"; }
fi
GATEWAY_JAR=$(ls api-gateway/target/api-gateway-*-exec.jar | head -1)
WORKER_JAR=$(ls worker/target/worker-*-exec.jar | head -1)
./mvnw -B -q -pl common dependency:build-classpath -Dmdep.outputFile="$WORK/common.classpath" \
    >"$WORK/classpath.log" 2>&1 || { tail -20 "$WORK/classpath.log"; die "could not resolve common's class path"; }
# test-classes: the bench takes its queue settings from the shared settings file, as the apps do (SharedSettings)
QUEUE_CP="common/target/classes:common/target/test-classes:$(cat "$WORK/common.classpath")"

REDIS_PORT=$(free_port)
PORT=$(free_port)
TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
# why a prefix of its own: it is also the deployment label a worker's reaper is scoped to, so the bench's workers
# never judge the sandboxes of a service running on the same engine
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT" REDIS_KEY_PREFIX="bench-$STAMP" RUNNER_TOKEN="$TOKEN" PORT \
    MAX_QUEUE_DEPTH=5000 RUN_QUEUE_TIMEOUT_SECONDS=300 RUNNER_SCRIPT_IMAGE="$IMAGE"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    >"$WORK/redis.log" 2>&1 &
pids+=($!)
log "measuring the machine's background CPU for 5 s (other builds count as noise)"
BACKGROUND=$(python3 "$BENCH_DIR/driver.py" background --seconds 5)
log "background: $BACKGROUND cores busy"

java -Xmx512m -jar "$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
pids+=($GATEWAY_PID)
wait_for "http://127.0.0.1:$PORT/health" 120 $GATEWAY_PID \
    || { tail -30 "$WORK/gateway.log"; die "gateway did not start"; }

parts=()
run_phases() {  # pool mode: off or on
    local mode=$1 worker_port worker_id worker_pid metrics
    worker_port=$(free_port)
    worker_id="bench-$mode-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    worker_ids+=("$worker_id")
    metrics="http://127.0.0.1:$worker_port/actuator/prometheus"
    log "starting a worker with the warm pool $mode"
    ( [ "$mode" = off ] && export RUNNER_POOL_SIZE=0
      WORKER_ID=$worker_id WORKER_PORT=$worker_port exec java -Xmx512m -jar "$WORKER_JAR" ) \
        >"$WORK/worker-$mode.log" 2>&1 &
    worker_pid=$!
    pids+=($worker_pid)
    wait_for "http://127.0.0.1:$worker_port/actuator/health" 120 $worker_pid \
        || { tail -30 "$WORK/worker-$mode.log"; die "worker did not start"; }
    if [ "$mode" = on ]; then
        for _ in $(seq 1 30); do
            [ "$(metric "$metrics" rrunner_sandbox_pool_ready)" != 0 ] && break
            sleep 1
        done
    fi
    python3 "$BENCH_DIR/driver.py" http --label "POST /run, pool $mode" --url "http://127.0.0.1:$PORT" \
        --token "$TOKEN" --concurrency "$CONCURRENCY" --requests "$REQUESTS" --warmup "$WARMUP" \
        --background "$BACKGROUND" --out "$WORK/run-$mode.json"
    if [ "$mode" = on ]; then
        log "streamed /run: delay from R's cat() to the client"
        python3 "$BENCH_DIR/driver.py" stream --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
            --runs "$STREAM_RUNS" --out "$WORK/stream.json"
        parts+=("$WORK/stream.json")
        log "warm path: a plain request, one with a 1 MB input file and one with non-default limits, in turn"
        python3 "$BENCH_DIR/driver.py" compare --label "POST /run, pool on, paced" --url "http://127.0.0.1:$PORT" \
            --token "$TOKEN" --requests "$REQUESTS" --warmup 1 --pause "$PAUSE" --background "$BACKGROUND" \
            --out "$WORK/compare.json"
        parts+=("$WORK/compare.json")
        log "the same, 200 ms apart: does the pool keep up with a caller that hardly pauses"
        python3 "$BENCH_DIR/driver.py" compare --label "POST /run, pool on, paced 0.2 s" \
            --url "http://127.0.0.1:$PORT" --token "$TOKEN" --requests "$REQUESTS" --warmup 1 --pause 0.2 \
            --background "$BACKGROUND" --out "$WORK/compare-fast.json"
        parts+=("$WORK/compare-fast.json")
        log "sessions: create to ready, trivial execs against POST /run, execs after a package load, idle memory"
        python3 "$BENCH_DIR/driver.py" sessions --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
            --package "$SESSION_PACKAGE" --requests "$REQUESTS" --out "$WORK/sessions.json"
        parts+=("$WORK/sessions.json")
        log "mcp: run_r of a trivial script against POST /run of the same script"
        python3 "$BENCH_DIR/driver.py" mcp --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
            --requests "$REQUESTS" --warmup "$WARMUP" --out "$WORK/mcp.json"
        parts+=("$WORK/mcp.json")
    fi
    local warm cold
    warm=$(metric "$metrics" rrunner_sandbox_pool_takes_total 'outcome="warm"')
    cold=$(metric "$metrics" rrunner_sandbox_pool_takes_total 'outcome="cold"')
    printf '{"meta": {"worker_pool_%s": {"warm_takes": %s, "cold_takes": %s}}}\n' "$mode" "$warm" "$cold" \
        >"$WORK/pool-$mode.json"
    parts+=("$WORK/run-$mode.json" "$WORK/pool-$mode.json")
    kill "$worker_pid"
    wait "$worker_pid" 2>/dev/null || true
}
for mode in $POOL_MODES; do
    run_phases "$mode"
done

log "baseline: docker run --rm --network none $IMAGE Rscript -e ..."
python3 "$BENCH_DIR/driver.py" docker --label "docker run --rm" --image "$IMAGE" --concurrency "$CONCURRENCY" \
    --requests "$REQUESTS" --warmup "$WARMUP" --background "$BACKGROUND" --out "$WORK/docker.json"
parts+=("$WORK/docker.json")

log "queue protocol alone: $QUEUE_JOBS jobs offered at $QUEUE_RATE/s, then as fast as it takes them"
queue_run() {  # rate (0: unpaced), key in the merged result
    local figures
    figures=$(java -cp "$QUEUE_CP" "$BENCH_DIR/QueueBench.java" queue "$REDIS_URL" "benchq-$2" 8 "$1" "$QUEUE_JOBS" \
        2>>"$WORK/queue.log" | tail -1)
    printf '{"%s": %s}\n' "$2" "$figures" >"$WORK/$2.json"
    parts+=("$WORK/$2.json")
}
queue_run "$QUEUE_RATE" queue
queue_run 0 queue_ceiling

log "fair claim among tenants: shares against weights, a small tenant behind a flood, claim cost by tenant count"
java -cp "$QUEUE_CP" "$BENCH_DIR/QueueBench.java" fairness "$REDIS_URL" benchfair "$FAIR_CLAIMS" \
    2>"$WORK/fairness.log" | tail -1 >"$WORK/fairness.json"
parts+=("$WORK/fairness.json")

log "$CALLERS /run callers waiting at once, answered by a fake worker"
java -cp "$QUEUE_CP" "$BENCH_DIR/QueueBench.java" fake-worker "$REDIS_URL" "$REDIS_KEY_PREFIX" 4 \
    >"$WORK/fake-worker.log" 2>&1 &
FAKE_PID=$!
pids+=($FAKE_PID)
python3 "$BENCH_DIR/driver.py" callers --url "http://127.0.0.1:$PORT" --token "$TOKEN" --n "$CALLERS" \
    --metrics "http://127.0.0.1:$PORT/actuator/prometheus" --redis-cli "redis-cli -p $REDIS_PORT" \
    --out "$WORK/callers.json"
kill "$FAKE_PID"
parts+=("$WORK/callers.json")

RESULT="$BENCH_DIR/results/$STAMP.json"
QUICK_JSON=$([ -n "$QUICK" ] && echo true || echo false)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
META=$(printf '{"started": "%s", "quick": %s, "image": "%s", "cores": %s, "background_cores": %s, "commit": "%s"}' \
    "$STAMP" "$QUICK_JSON" "$IMAGE" "$(nproc)" "$BACKGROUND" "$COMMIT")
echo
python3 "$BENCH_DIR/driver.py" report --json "$RESULT" --meta "$META" ${QUICK:+--strict} "${parts[@]}"
echo
log "results: $RESULT (logs: $WORK)"
