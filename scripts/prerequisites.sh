# Sourced by run.sh and test.sh: makes sure a Docker engine, Java and our images are there.
# On a host that already runs Docker it uses that engine; on a fresh Debian machine (as root) it installs
# what is missing from Debian's packages and starts dockerd in the background, remembering that it did so
# that the caller can stop it again (stop_started_docker).

RR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# why overridable: the deploy module's tests source these functions with a state folder of their own
RR_STATE=${RR_STATE:-$RR_ROOT/.run-state}
mkdir -p "$RR_STATE"
RR_STARTED_DOCKERD=""

log() { printf '[r-runner] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]}: install them, or run as root so this script can"
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
    log "installing ${missing[*]}"
    if [ ! -f "$RR_STATE/apt-updated" ]; then
        apt-get update -q >"$RR_STATE/apt.log" 2>&1 || die "apt-get update failed, see $RR_STATE/apt.log"
        touch "$RR_STATE/apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
        >>"$RR_STATE/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed, see $RR_STATE/apt.log"
}

ensure_java() {
    if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
        apt_install openjdk-17-jdk-headless
    fi
}

ensure_docker() {
    # why: our engine may be older than the docker CLI on PATH; the legacy builder works with both
    export DOCKER_BUILDKIT=0
    if docker info >/dev/null 2>&1; then
        return 0
    fi
    if [ -n "${DOCKER_HOST:-}" ]; then
        die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
    fi
    command -v dockerd >/dev/null || apt_install docker.io
    command -v docker >/dev/null || apt_install docker.io
    log "starting dockerd (log: $RR_STATE/dockerd.log)"
    setsid dockerd >"$RR_STATE/dockerd.log" 2>&1 &
    RR_STARTED_DOCKERD=$!
    echo "$RR_STARTED_DOCKERD" >"$RR_STATE/dockerd.pid"
    for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && return 0
        kill -0 "$RR_STARTED_DOCKERD" 2>/dev/null || break
        sleep 1
    done
    tail -20 "$RR_STATE/dockerd.log" >&2
    die "dockerd did not come up"
}

stop_started_docker() {
    if [ -n "$RR_STARTED_DOCKERD" ] && kill -0 "$RR_STARTED_DOCKERD" 2>/dev/null; then
        log "stopping the dockerd this script started (pid $RR_STARTED_DOCKERD)"
        kill "$RR_STARTED_DOCKERD"
        for _ in $(seq 1 30); do
            kill -0 "$RR_STARTED_DOCKERD" 2>/dev/null || break
            sleep 1
        done
        # why: containerd is dockerd's child; make sure neither survives us
        kill -9 "$RR_STARTED_DOCKERD" 2>/dev/null || true
        rm -f "$RR_STATE/dockerd.pid"
    fi
}

remove_labelled_containers() {
    local ids
    ids=$(docker ps -aq --filter label=rrunner.managed=true 2>/dev/null || true)
    [ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1 || true
    ids=$(docker ps -aq --filter label=rrunner.test 2>/dev/null || true)
    [ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1 || true
}

# gVisor as an optional sandbox runtime (RUNNER_CONTAINER_RUNTIME=runsc). The tests exercise it, so the test
# command makes sure it is registered: Debian's runsc package, added to /etc/docker/daemon.json, and the
# engine told to reload (dockerd re-reads its runtimes on SIGHUP, without stopping running containers).
ensure_runsc() {
    if docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; then
        return 0
    fi
    command -v runsc >/dev/null || apt_install runsc
    [ "$(id -u)" -eq 0 ] || die "gVisor (runsc) is not registered with Docker; as root this script would do it"
    log "registering runsc (gVisor) as a Docker runtime in /etc/docker/daemon.json"
    mkdir -p /etc/docker
    python3 - <<'PY'
import json, os
path = "/etc/docker/daemon.json"
config = json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) > 0 else {}
config.setdefault("runtimes", {})["runsc"] = {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}
json.dump(config, open(path, "w"), indent=2)
PY
    local pid
    pid=$(pidof dockerd || true)
    [ -n "$pid" ] || die "no local dockerd to reload; register runsc with your Docker engine by hand"
    kill -HUP $pid
    for _ in $(seq 1 20); do
        docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"' && return 0
        sleep 1
    done
    die "dockerd did not pick up the runsc runtime"
}

ensure_images() {
    bash "$RR_ROOT/images/build.sh" "$@"
}
