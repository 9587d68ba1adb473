#!/usr/bin/env bash
# Build r-runner's Docker images from Debian packages only (no registry needed).
#
#   images/build.sh                 base + redis + r-base   (the default)
#   images/build.sh r-full          r-full (and what it needs: base, r-base)
#   images/build.sh gateway worker  the Java services (needs the fat jars from
#                                   `mvn package`: api-gateway/target/api-gateway-*-exec.jar,
#                                   worker/target/worker-*-exec.jar)
#   images/build.sh caddy           the TLS proxy of compose.yaml (Debian's caddy)
#   images/build.sh all             everything
#   images/build.sh --force r-base  rebuild even if the inputs are unchanged
#
# Targets: base redis r-base r-full gateway worker caddy all   (order does not matter)
#
# An image is rebuilt only when its inputs changed. The inputs hash covers the
# files in the image's directory (Dockerfile, packages.txt, ...), the id of the
# image it is built FROM, and for gateway/worker the jar. It is stored on the
# image as the label "rrunner.inputs-hash"; an image carrying the same hash is
# skipped. Works from any working directory.
set -euo pipefail
export DOCKER_BUILDKIT=0

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
BASE_IMAGE="debian:bookworm-slim"
HASH_LABEL="rrunner.inputs-hash"

log() { printf '[build] %s\n' "$*"; }
die() { printf '[build] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# --- arguments ----------------------------------------------------------------
FORCE=0
declare -A WANT=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        -f|--force) FORCE=1 ;;
        all) for t in base redis r-base r-full gateway worker caddy; do WANT[$t]=1; done ;;
        base|bootstrap-base) WANT[base]=1 ;;
        redis|r-base|r-full|gateway|worker|caddy) WANT[$arg]=1 ;;
        *) usage >&2; die "unknown target: $arg" ;;
    esac
done
if [ "${#WANT[@]}" -eq 0 ]; then
    WANT[base]=1; WANT[redis]=1; WANT[r-base]=1
fi
# Every image is FROM debian:bookworm-slim; r-full is FROM r-runner-r-base.
WANT[base]=1
if [ -n "${WANT[r-full]:-}" ]; then WANT[r-base]=1; fi

command -v docker >/dev/null 2>&1 || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "cannot reach the Docker engine (is dockerd running? DOCKER_HOST=${DOCKER_HOST:-unset})"

# --- helpers --------------------------------------------------------------------
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

image_label() {
    docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}

# Hash of a directory's files (relative path + content), sorted, so it does not
# depend on where the repository is checked out.
dir_hash() {
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) \
        | sha256sum | cut -c1-64
}

# Exactly one file matching a glob (relative to the repo root), else fail.
# Prints the path relative to the repo root.
find_one_jar() {
    local pattern="$1" matches
    matches=()
    while IFS= read -r -d '' f; do matches+=("${f#"$REPO_ROOT"/}"); done < <(
        compgen -G "$REPO_ROOT/$pattern" | tr '\n' '\0')
    if [ "${#matches[@]}" -eq 0 ]; then
        die "no $pattern found: run 'mvn -q -DskipTests package' first"
    fi
    if [ "${#matches[@]}" -gt 1 ]; then
        die "more than one $pattern: ${matches[*]} (run 'mvn clean package')"
    fi
    printf '%s\n' "${matches[0]}"
}

# build_image NAME TAG DOCKERFILE_DIR PARENT_IMAGE [JAR_RELATIVE_PATH]
build_image() {
    local name="$1" tag="$2" dir="$3" parent="$4" jar="${5:-}"
    local parent_id inputs hash current start ctx

    parent_id="$(image_id "$parent")"
    [ -n "$parent_id" ] || die "$name: parent image $parent is missing"
    inputs="dir=$(dir_hash "$SCRIPT_DIR/$dir") parent=$parent_id"
    if [ -n "$jar" ]; then
        inputs="$inputs jar=$(sha256sum "$REPO_ROOT/$jar" | cut -c1-64)"
    fi
    hash="$(printf '%s\n' "$inputs" | sha256sum | cut -c1-64)"
    current="$(image_label "$tag" "$HASH_LABEL")"

    if [ "$FORCE" != 1 ] && [ "$current" = "$hash" ]; then
        log "$name: $tag is up to date (inputs ${hash:0:12}); skipping"
        return 0
    fi
    if [ -z "$current" ]; then
        log "$name: building $tag (inputs ${hash:0:12}; no existing image with a hash)"
    elif [ "$FORCE" = 1 ]; then
        log "$name: building $tag (--force; inputs ${hash:0:12})"
    else
        log "$name: building $tag (inputs changed: ${current:0:12} -> ${hash:0:12})"
    fi

    start=$(date +%s)
    if [ -z "$jar" ]; then
        # The image's own directory is its build context.
        docker build --label "$HASH_LABEL=$hash" -t "$tag" "$SCRIPT_DIR/$dir"
    else
        # The Dockerfile expects the repository root as context. Send only the
        # Dockerfile and the jar (a minimal copy of that layout) instead of the
        # whole repository.
        local rc=0
        ctx="$(mktemp -d "${TMPDIR:-/tmp}/rrunner-ctx.XXXXXX")"
        mkdir -p "$ctx/images/$dir" "$ctx/$(dirname "$jar")"
        cp "$SCRIPT_DIR/$dir/Dockerfile" "$ctx/images/$dir/Dockerfile"
        ln "$REPO_ROOT/$jar" "$ctx/$jar" 2>/dev/null || cp "$REPO_ROOT/$jar" "$ctx/$jar"
        docker build --label "$HASH_LABEL=$hash" -f "$ctx/images/$dir/Dockerfile" -t "$tag" "$ctx" || rc=$?
        rm -rf "$ctx"
        [ "$rc" -eq 0 ] || die "$name: docker build failed (exit $rc)"
    fi
    log "$name: built $tag in $(( $(date +%s) - start ))s, $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
}

# --- build, in dependency order ----------------------------------------------------
if [ -n "${WANT[base]:-}" ]; then
    log "base: ensuring $BASE_IMAGE"
    bash "$SCRIPT_DIR/bootstrap-base.sh"
fi
if [ -n "${WANT[redis]:-}" ]; then
    build_image redis r-runner-redis:latest redis "$BASE_IMAGE"
fi
if [ -n "${WANT[r-base]:-}" ]; then
    build_image r-base r-runner-r-base:latest r-base "$BASE_IMAGE"
fi
if [ -n "${WANT[r-full]:-}" ]; then
    build_image r-full r-runner-r-full:latest r-full r-runner-r-base:latest
fi
if [ -n "${WANT[caddy]:-}" ]; then
    build_image caddy r-runner-caddy:latest caddy "$BASE_IMAGE"
fi
if [ -n "${WANT[gateway]:-}" ]; then
    jar="$(find_one_jar 'api-gateway/target/api-gateway-*-exec.jar')"
    build_image gateway r-runner-gateway:latest gateway "$BASE_IMAGE" "$jar"
fi
if [ -n "${WANT[worker]:-}" ]; then
    jar="$(find_one_jar 'worker/target/worker-*-exec.jar')"
    build_image worker r-runner-worker:latest worker "$BASE_IMAGE" "$jar"
fi
log "done"
