#!/usr/bin/env bash
# Hostile scripts against the running service, as a new user would send them (about 3 minutes):
#
#   bench/hostile.sh             builds the jars first
#   bench/hostile.sh --no-build
#
# Starts its own Redis (with the run command's memory cap and noeviction), a gateway and one worker (two slots) on
# free ports, then for each hostile case in bench/hostile.py measures the time to answer POST /run and how long
# after the answer the job's lease, its container and the worker's busy slot are gone; then runs ten jobs at once
# that each return the largest result the defaults allow (ten 5 MB binary files), with Redis's used_memory and the
# gateway's heap sampled meanwhile. Writes bench/results/hostile-<timestamp>.json. Not part of the test command.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$BENCH_DIR/../scripts/prerequisites.sh"
source "$BENCH_DIR/lib.sh"
cd "$RR_ROOT"

BUILD=1
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD="" ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) die "unknown argument $arg (try --help)" ;;
    esac
done
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK="$RR_STATE/hostile-$STAMP"
mkdir -p "$WORK" "$BENCH_DIR/results"

pids=()
WORKER_ID="hostile-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cleanup() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    ids=$(docker ps -aq --filter "label=rrunner.worker=$WORKER_ID" 2>/dev/null || true)
    [ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1 || true
    stop_started_docker
}
trap cleanup EXIT
trap 'exit 130' INT TERM


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

REDIS_PORT=$(free_port)
PORT=$(free_port)
WORKER_PORT=$(free_port)
TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT" REDIS_KEY_PREFIX="hostile-$STAMP" RUNNER_TOKEN="$TOKEN" PORT \
    WORKER_CONCURRENCY=2 RUN_QUEUE_TIMEOUT_SECONDS=300
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    --maxmemory "${REDIS_MAXMEMORY:-1gb}" --maxmemory-policy noeviction >"$WORK/redis.log" 2>&1 &
pids+=($!)
# why the heaps: those the run command and compose leave to the JVM's default on a machine this size
java -jar "$GATEWAY_JAR" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
pids+=($GATEWAY_PID)
WORKER_ID=$WORKER_ID WORKER_PORT=$WORKER_PORT java -jar "$WORKER_JAR" >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
pids+=($WORKER_PID)
wait_for "http://127.0.0.1:$PORT/health" 120 $GATEWAY_PID || { tail -30 "$WORK/gateway.log"; die "gateway did not start"; }
wait_for "http://127.0.0.1:$WORKER_PORT/actuator/health" 120 $WORKER_PID \
    || { tail -30 "$WORK/worker.log"; die "worker did not start"; }

RESULT="$BENCH_DIR/results/hostile-$STAMP.json"
python3 "$BENCH_DIR/hostile.py" --url "http://127.0.0.1:$PORT" --token "$TOKEN" --worker-id "$WORKER_ID" \
    --redis-cli "redis-cli -p $REDIS_PORT" --gateway-pid "$GATEWAY_PID" --worker-pid "$WORKER_PID" --out "$RESULT"
log "results: $RESULT (logs: $WORK)"
