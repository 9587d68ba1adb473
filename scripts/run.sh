#!/usr/bin/env bash
# The run command: brings up Redis, one worker and the gateway in the foreground; Ctrl-C stops what it started.
# Sourcing it (as the deploy module's tests do) only defines the functions.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prerequisites.sh"

# The flags of the redis-server this command starts, one per line.
# why noeviction: the queue itself (jobs, leases, results) lives in Redis; at the memory cap it must refuse
# writes, never evict queue state. REDIS_MAXMEMORY's default is the one compose and the Helm chart document.
redis_server_args() {
    local port=$1 dir=$2
    printf '%s\n' --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes --save '' \
        --maxmemory "${REDIS_MAXMEMORY:-512mb}" --maxmemory-policy noeviction
}

main() {
    cd "$RR_ROOT"

    PORT=${PORT:-8000}
    REDIS_PORT=${RUNNER_REDIS_PORT:-6379}
    if [ -z "${RUNNER_TOKEN:-}" ]; then
        RUNNER_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' )
        log "RUNNER_TOKEN was not set; generated one for this run"
    fi
    export RUNNER_TOKEN PORT

    # why setsid: Ctrl-C then reaches only this script, which stops the children in order (gateway, worker with
    # its graceful shutdown, Redis) instead of all of them at once
    pids=()
    cleanup() {
        trap - EXIT INT TERM
        log "stopping"
        for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
            kill "${pids[i]}" 2>/dev/null || true
            wait "${pids[i]}" 2>/dev/null || true
        done
        stop_started_docker
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM

    ensure_java
    ensure_docker
    ensure_images
    if [ -z "${REDIS_URL:-}" ]; then
        command -v redis-server >/dev/null || apt_install redis-server
        log "starting redis-server on 127.0.0.1:$REDIS_PORT (data: $RR_STATE/redis)"
        mkdir -p "$RR_STATE/redis"
        mapfile -t redis_args < <(redis_server_args "$REDIS_PORT" "$RR_STATE/redis")
        setsid redis-server "${redis_args[@]}" >"$RR_STATE/redis.log" 2>&1 &
        pids+=($!)
        export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
    fi

    log "building the gateway and worker jars"
    ./mvnw -B -q -DskipTests package >"$RR_STATE/build.log" 2>&1 || { tail -40 "$RR_STATE/build.log"; die "build failed"; }

    setsid java -jar worker/target/worker-*-exec.jar >"$RR_STATE/worker.log" 2>&1 &
    pids+=($!)
    setsid java -jar api-gateway/target/api-gateway-*-exec.jar >"$RR_STATE/gateway.log" 2>&1 &
    pids+=($!)

    for _ in $(seq 1 120); do
        curl -fsS "http://localhost:$PORT/health" >/dev/null 2>&1 && break
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { tail -30 "$RR_STATE"/*.log; die "a process exited early"; }; done
        sleep 1
    done
    curl -fsS "http://localhost:$PORT/health" >/dev/null || die "the gateway did not come up, see $RR_STATE/gateway.log"

    cat <<INFO

  r-runner is up at http://localhost:$PORT   (logs: $RR_STATE/*.log, Ctrl-C stops everything)
  token: $RUNNER_TOKEN

  curl -s -H "Authorization: Bearer $RUNNER_TOKEN" -H 'Content-Type: application/json' \\
       -d '{"script":"cat(\"hello from R\\\\n\")"}' http://localhost:$PORT/run

INFO
    wait -n "${pids[@]}"
    die "a process exited; see $RR_STATE/*.log"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
