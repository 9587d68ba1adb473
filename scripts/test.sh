#!/usr/bin/env bash
# The test command: prepares Docker and the images, runs every unit and integration test, then (without
# arguments) the benchmark in its reduced form. Arguments go to Maven and skip the benchmark.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prerequisites.sh"
cd "$RR_ROOT"

cleanup() {
    remove_labelled_containers
    stop_started_docker
}
trap cleanup EXIT

ensure_java
ensure_docker
note_labelled_containers
# why: GvisorRuntimeIT runs sandboxes under gVisor
ensure_runsc
ensure_images
# why: the Redis TLS tests make their throw-away CA and server certificate with it
command -v openssl >/dev/null || apt_install openssl
profiles=()
if docker image inspect r-runner-r-full:latest >/dev/null 2>&1; then
    log "r-runner-r-full is present: its smoke test runs too"
    profiles=(-Prrunner-r-full)
fi
./mvnw -B verify "${profiles[@]}" "$@"
if [ $# -eq 0 ]; then
    log "the benchmark in its reduced form, so it cannot rot (fails if any request fails)"
    bash bench/run.sh --quick --no-build
fi
