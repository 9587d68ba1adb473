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

# Redocly's recommended rules (and redocly.yaml) on the committed document, before the build: a few seconds, and an
# error fails the command. The gateway's CommittedOpenApiDocumentIT keeps the file equal to the served document.
lint_openapi() {
    command -v npx >/dev/null || apt_install nodejs npm
    local redocly=(npx --yes @redocly/cli@2.77.0)
    # why: the CLI needs Node 20.19 or later and Debian 12 ships 18, so an older node runs it on one from npm
    if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
        redocly=(npx --yes -p node@22 -p @redocly/cli@2.77.0 redocly)
    fi
    log "linting clients/openapi.json with Redocly's recommended rules"
    "${redocly[@]}" lint --config redocly.yaml --format=summary clients/openapi.json
}

ensure_java
ensure_docker
note_labelled_containers
# why: GvisorRuntimeIT runs sandboxes under gVisor
ensure_runsc
# why r-full too: the tests check what the analytics environment offers (ggplot2 and friends load, r-base lacks them);
# about 3 minutes the first time, then skipped while its inputs are unchanged
ensure_images base redis r-base r-full
# why: the Redis TLS tests make their throw-away CA and server certificate with it
command -v openssl >/dev/null || apt_install openssl
# why: ComposeFleetE2EIT brings up compose.yaml; Compose v2 where the docker CLI has it, else Debian's 1.29
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || apt_install docker-compose
# why: the playground's browser tests drive Debian's chromium (Playwright's own browsers can't be downloaded here),
# and the client suites run the Python client on python3 and the R client on httr2 and testthat
apt_install chromium r-base-core r-cran-httr2 r-cran-jsonlite r-cran-testthat
command -v python3 >/dev/null || apt_install python3
lint_openapi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
./mvnw -B verify "$@"
if [ $# -eq 0 ]; then
    log "the benchmark in its reduced form, so it cannot rot (fails if any request fails)"
    bash bench/run.sh --quick --no-build
fi
