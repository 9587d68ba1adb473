#!/usr/bin/env bash
# Sequential latency of a trivial script: N POST /run calls against N `docker run --rm` of the same script,
# measured in one sitting so the ratio means something on a shared, noisy machine.
#
#   RUNNER_TOKEN=... bench/sync-latency.sh [N] [URL]
#
# Needs a running service (scripts/run.sh) and the Docker engine it uses.
set -euo pipefail
N=${1:-20}
URL=${2:-http://localhost:${PORT:-8000}}
IMAGE=${RUNNER_SCRIPT_IMAGE:-r-runner-r-base:latest}
SCRIPT='cat(1)'
: "${RUNNER_TOKEN:?set RUNNER_TOKEN to the service token}"
export DOCKER_BUILDKIT=0

now_ms() { date +%s%3N; }

p50() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

body=$(printf '{"script":"%s"}' "$SCRIPT")
curl -fsS -o /dev/null -H "Authorization: Bearer $RUNNER_TOKEN" -d "$body" "$URL/run"   # warm-up
docker run --rm --network none "$IMAGE" Rscript -e "$SCRIPT" >/dev/null                # warm-up

run_times=()
docker_times=()
for _ in $(seq 1 "$N"); do
    t0=$(now_ms)
    out=$(curl -fsS -H "Authorization: Bearer $RUNNER_TOKEN" -d "$body" "$URL/run")
    t1=$(now_ms)
    case "$out" in *'"stdout":"1"'*) ;; *) echo "unexpected /run answer: $out" >&2; exit 1 ;; esac
    run_times+=($((t1 - t0)))

    t0=$(now_ms)
    out=$(docker run --rm --network none "$IMAGE" Rscript -e "$SCRIPT")
    t1=$(now_ms)
    [ "$out" = "1" ] || { echo "unexpected docker run output: $out" >&2; exit 1; }
    docker_times+=($((t1 - t0)))
done

run_p50=$(printf '%s\n' "${run_times[@]}" | p50)
docker_p50=$(printf '%s\n' "${docker_times[@]}" | p50)
printf '%-28s %8s\n' "what (n=$N, interleaved)" "p50 ms"
printf '%-28s %8s\n' "POST /run" "$run_p50"
printf '%-28s %8s\n' "docker run --rm" "$docker_p50"
awk -v a="$run_p50" -v b="$docker_p50" 'BEGIN {printf "%-28s %8.2f\n", "ratio /run : docker run", a / b}'
