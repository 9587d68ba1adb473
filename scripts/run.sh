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
        --maxmemory "${REDIS_MAXMEMORY:-1gb}" --maxmemory-policy noeviction
}

# Whether something accepts TCP connections on 127.0.0.1:PORT (a listener on 0.0.0.0 or [::] counts: it would
# keep a new one on 127.0.0.1 from binding).
port_in_use() {
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# The port for this run's own redis-server: RUNNER_REDIS_PORT if set (and free, or this stops), else DEFAULT or,
# when that is taken, the next free port above it.
# why not stop on a taken default: many hosts already run Debian's redis-server service on 6379, and this Redis is
# private to the run (its URL is handed to gateway and worker), so any free port does.
pick_redis_port() {
    local port=$1 limit=$(($1 + 100))
    if [ -n "${RUNNER_REDIS_PORT:-}" ]; then
        if port_in_use "$RUNNER_REDIS_PORT"; then
            die "127.0.0.1:$RUNNER_REDIS_PORT (RUNNER_REDIS_PORT) is already in use, perhaps by another" \
                "redis-server. Set RUNNER_REDIS_PORT to a free port, leave it unset to have one picked, or set" \
                "REDIS_URL=redis://127.0.0.1:$RUNNER_REDIS_PORT to use the Redis there instead of starting one"
        fi
        echo "$RUNNER_REDIS_PORT"
        return
    fi
    while port_in_use "$port"; do
        port=$((port + 1))
        [ "$port" -le "$limit" ] || die "no free port for Redis in $1-$limit; set RUNNER_REDIS_PORT"
    done
    [ "$port" = "$1" ] || log "127.0.0.1:$1 is in use (another redis-server?); this run's Redis takes port $port" \
        "(RUNNER_REDIS_PORT chooses one)"
    echo "$port"
}

# gVisor only when the worker is told to use it: registering it reconfigures the Docker engine.
ensure_sandbox_runtime() {
    if [ "${RUNNER_CONTAINER_RUNTIME:-}" = runsc ]; then
        ensure_runsc
    fi
}

# The images/build.sh targets this run needs, one per line: the default set (base, redis, r-base), plus r-full when
# RUNNER_ENVIRONMENTS lists it and RUNNER_FULL_IMAGE is left at the image that target builds.
# why only then: r-full takes minutes to build and about 1 GB, and a deployment that does not serve it never uses it
image_targets() {
    local name full="" names
    printf '%s\n' base redis r-base
    IFS=, read -ra names <<<"${RUNNER_ENVIRONMENTS:-r-base}"
    for name in "${names[@]}"; do
        name=${name//[[:space:]]/}
        [ "$name" = r-full ] && full=1
    done
    [ -n "$full" ] || return 0
    if [ "${RUNNER_FULL_IMAGE:-r-runner-r-full:latest}" = r-runner-r-full:latest ]; then
        echo r-full
    else
        log "RUNNER_FULL_IMAGE=$RUNNER_FULL_IMAGE: r-full is served from that image, not built here"
    fi
}

main() {
    cd "$RR_ROOT"

    PORT=${PORT:-8000}
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
    ensure_sandbox_runtime
    local targets
    mapfile -t targets < <(image_targets)
    ensure_images "${targets[@]}"
    if [ -z "${REDIS_URL:-}" ]; then
        command -v redis-server >/dev/null || apt_install redis-server
        local redis_port
        redis_port=$(pick_redis_port 6379)
        log "starting redis-server on 127.0.0.1:$redis_port (data: $RR_STATE/redis)"
        mkdir -p "$RR_STATE/redis"
        mapfile -t redis_args < <(redis_server_args "$redis_port" "$RR_STATE/redis")
        setsid redis-server "${redis_args[@]}" >"$RR_STATE/redis.log" 2>&1 &
        pids+=($!)
        # why wait: the port was free a moment ago, but another process may have taken it since
        for _ in $(seq 1 30); do
            redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
            kill -0 "${pids[-1]}" 2>/dev/null || { tail -5 "$RR_STATE/redis.log" >&2; die "redis-server exited"; }
            sleep 1
        done
        redis-cli -p "$redis_port" ping >/dev/null 2>&1 || die "redis-server does not answer, see $RR_STATE/redis.log"
        export REDIS_URL="redis://127.0.0.1:$redis_port"
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
  environments: ${RUNNER_ENVIRONMENTS:-r-base}   (RUNNER_ENVIRONMENTS=r-base,r-full serves the analytics image too)

  curl -s -H "Authorization: Bearer $RUNNER_TOKEN" -H 'Content-Type: application/json' \\
       -d '{"script":"cat(\"hello from R\\\\n\")"}' http://localhost:$PORT/run

INFO
    wait -n "${pids[@]}"
    die "a process exited; see $RR_STATE/*.log"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
