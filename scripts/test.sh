#!/usr/bin/env bash
# The test command: prepares Docker and the images, then runs every unit and integration test.
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
ensure_runsc
ensure_images
profiles=()
if docker image inspect r-runner-r-full:latest >/dev/null 2>&1; then
    log "r-runner-r-full is present: its smoke test runs too"
    profiles=(-Prrunner-r-full)
fi
./mvnw -B verify "${profiles[@]}" "$@"
