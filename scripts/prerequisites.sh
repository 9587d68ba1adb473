# Sourced by run.sh and test.sh: makes sure a Docker engine, Java and our images are there.
# On a host that already runs Docker it uses that engine; on a fresh Debian machine (as root) it installs
# what is missing from Debian's packages and starts dockerd in the background, remembering that it did so
# (and which containerd that dockerd started) so that the caller can stop them again (stop_started_docker).
# gVisor is set up only when asked for (ensure_runsc), and only ever on an engine this script started.

RR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# why overridable: the deploy module's tests source these functions with a state folder of their own
RR_STATE=${RR_STATE:-$RR_ROOT/.run-state}
mkdir -p "$RR_STATE"
# The configuration file of the engine; overridable so that tests never touch the machine's.
RR_DOCKER_DAEMON_JSON=${RR_DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
RR_STARTED_DOCKERD=""
RR_STARTED_CONTAINERD=""

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

# Why a JDK of 17 or newer is needed in a given Java home, or nothing when it has one. Maven compiles with the
# compiler of the JVM it runs on, so a JRE (java without javac) fails the build even when it is new enough.
jdk_problem() {
    local home=$1 major
    if [ ! -x "$home/bin/java" ] || [ ! -x "$home/bin/javac" ]; then
        echo "$home has no bin/javac: it is a JRE, not a JDK"
        return
    fi
    # "javac 17.0.15", "javac 21", or "javac 1.8.0_292" (Java 8)
    major=$("$home/bin/javac" -version 2>&1 | sed -n 's/^javac \([0-9][0-9]*\).*/\1/p' | head -n 1)
    if [ -z "$major" ] || [ "$major" -lt 17 ]; then
        echo "$home has javac ${major:-of unknown version}; 17 or newer is needed"
    fi
}

ensure_java() {
    local home problem
    # why JAVA_HOME first: ./mvnw runs on it when it is set, whatever java is on PATH
    if [ -n "${JAVA_HOME:-}" ]; then
        problem=$(jdk_problem "$JAVA_HOME")
        [ -z "$problem" ] && return 0
        die "JAVA_HOME=$JAVA_HOME is not usable ($problem); point it at a JDK 17 or newer, or unset it"
    fi
    if command -v java >/dev/null; then
        home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
        problem=$(jdk_problem "$home")
        [ -z "$problem" ] && return 0
        log "the java on PATH will not do ($problem)"
    fi
    apt_install openjdk-17-jdk-headless
    home=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)
    problem=$(jdk_problem "$home")
    [ -z "$problem" ] || die "openjdk-17-jdk-headless is installed but $problem"
    # why export: a newer JRE may still be the java on PATH (Debian's alternatives pick the highest version)
    export JAVA_HOME=$home PATH="$home/bin:$PATH"
    log "using the JDK in $home"
}

# Whether the process exists and has not exited (a zombie has exited; its parent has not collected it yet).
process_alive() {
    local state
    [ -r "/proc/$1/stat" ] || return 1
    state=$(sed 's/^.*) \([A-Za-z]\).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# The pids of the live children of a process whose command name is exactly NAME.
child_pids() {
    local parent=$1 name=$2 stat line comm ppid
    for stat in /proc/[0-9]*/stat; do
        line=$(cat "$stat" 2>/dev/null) || continue
        comm=${line#*(}
        comm=${comm%)*}
        read -r _ ppid _ <<<"${line##*) }"
        [ "$ppid" = "$parent" ] && [ "$comm" = "$name" ] && echo "${line%% *}"
    done
    return 0
}

# Sends SIGTERM, waits up to SECONDS for the process to go, then SIGKILL.
stop_process() {
    local pid=$1 seconds=$2 i
    process_alive "$pid" || return 0
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < seconds * 5; i++)); do
        process_alive "$pid" || return 0
        sleep 0.2
    done
    log "pid $pid did not stop within ${seconds}s; killing it"
    kill -9 "$pid" 2>/dev/null || true
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
        if docker info >/dev/null 2>&1; then
            # why remember it: dockerd starts its own containerd (unless it is told to use the system's), which
            # it stops only on a clean shutdown; a dockerd that had to be killed would leave it behind
            RR_STARTED_CONTAINERD=$(child_pids "$RR_STARTED_DOCKERD" containerd | tr '\n' ' ')
            echo "$RR_STARTED_CONTAINERD" >"$RR_STATE/containerd.pid"
            return 0
        fi
        process_alive "$RR_STARTED_DOCKERD" || break
        sleep 1
    done
    tail -20 "$RR_STATE/dockerd.log" >&2
    die "dockerd did not come up"
}

# Stops the dockerd ensure_docker started and the containerd that dockerd started, nothing else: a containerd of
# the system's (or of another engine) is left alone.
stop_started_docker() {
    [ -n "$RR_STARTED_DOCKERD" ] || return 0
    if process_alive "$RR_STARTED_DOCKERD"; then
        log "stopping the dockerd this script started (pid $RR_STARTED_DOCKERD)"
        stop_process "$RR_STARTED_DOCKERD" 30
    fi
    local pid
    for pid in $RR_STARTED_CONTAINERD; do
        # why the name check: once its dockerd is gone, the pid may have been reused by an unrelated process
        if process_alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = containerd ]; then
            log "stopping the containerd that dockerd started (pid $pid)"
            stop_process "$pid" 15
        fi
    done
    rm -f "$RR_STATE/dockerd.pid" "$RR_STATE/containerd.pid"
    RR_STARTED_DOCKERD=""
    RR_STARTED_CONTAINERD=""
}

# Our containers (sandboxes, test Redis) on the engine, full ids, one a line.
labelled_containers() {
    { docker ps -aq --no-trunc --filter label=rrunner.managed=true 2>/dev/null || true
      docker ps -aq --no-trunc --filter label=rrunner.test 2>/dev/null || true; } | sort -u
}

# Remembers which of our containers exist now, so remove_labelled_containers leaves them alone: a service
# started by the run command (or another deployment) on the same engine keeps its sandboxes.
note_labelled_containers() {
    RR_CONTAINERS_BEFORE=$(labelled_containers)
}

# Removes our containers made since note_labelled_containers: what this run's tests left behind, nothing else.
remove_labelled_containers() {
    local ids
    ids=$(comm -13 <(printf '%s\n' "${RR_CONTAINERS_BEFORE:-}" | sed '/^$/d' | sort -u) <(labelled_containers))
    [ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1 || true
}

# gVisor as an optional sandbox runtime (RUNNER_CONTAINER_RUNTIME=runsc), set up only when asked for: by the test
# command (GvisorRuntimeIT needs it) and by the run command when RUNNER_CONTAINER_RUNTIME=runsc. Registering it means
# adding it to the engine's daemon.json and having dockerd re-read that file (SIGHUP; running containers go on), which
# this script does only to a dockerd it started itself: someone else's engine is theirs to reconfigure.
RR_RUNSC_RUNTIME='{"runsc": {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}}'

docker_has_runsc() {
    docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'
}

ensure_runsc() {
    docker_has_runsc && return 0
    if [ -z "$RR_STARTED_DOCKERD" ]; then
        die "gVisor (runsc) is not registered with this Docker engine, and this script leaves an engine it did not" \
            "start alone. Install Debian's runsc package, add this to \"runtimes\" in $RR_DOCKER_DAEMON_JSON:" \
            "$RR_RUNSC_RUNTIME, have the engine reload it (systemctl reload docker, or kill -HUP <pid of dockerd>)," \
            "then run this again"
    fi
    command -v runsc >/dev/null || apt_install runsc
    add_runsc_runtime "$RR_DOCKER_DAEMON_JSON"
    kill -HUP "$RR_STARTED_DOCKERD"
    for _ in $(seq 1 20); do
        docker_has_runsc && return 0
        sleep 1
    done
    die "the dockerd this script started did not pick up the runsc runtime; see $RR_STATE/dockerd.log"
}

# Adds the runsc runtime to a daemon.json, changing nothing else in it: the entry is inserted as text, so every
# other key keeps its value, order and formatting. An entry "runsc" that is already there is left as it is. A file
# that is not a JSON object is never overwritten: this stops with a message instead.
add_runsc_runtime() {
    local file=$1
    command -v python3 >/dev/null || apt_install python3
    mkdir -p "$(dirname "$file")"
    python3 - "$file" "$RR_RUNSC_RUNTIME" <<'PY' || die "$file was left unchanged; fix it, or add the runtime by hand"
import json, os, sys, tempfile

# why realpath: a symlinked daemon.json stays a symlink; the file it points to is the one changed
path, runtime = os.path.realpath(sys.argv[1]), json.loads(sys.argv[2])
entry = '"runsc": ' + json.dumps(runtime["runsc"])
text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""

def fail(why):
    print(f"[r-runner] error: {path} {why}", file=sys.stderr)
    sys.exit(1)

def skip_space(pos):
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos

def members(start):
    """(key, value start, value end) of the object whose '{' is at start, in file order."""
    decoder, pos, found = json.JSONDecoder(), skip_space(start + 1), []
    while text[pos] != "}":
        key, pos = json.decoder.scanstring(text, pos + 1)
        pos = skip_space(skip_space(pos) + 1)
        _, end = decoder.raw_decode(text, pos)
        found.append((key, pos, end))
        pos = skip_space(end)
        if text[pos] == ",":
            pos = skip_space(pos + 1)
    return found

if text.strip():
    try:
        config = json.loads(text)
    except ValueError as e:
        fail(f"is not valid JSON ({e})")
    if not isinstance(config, dict):
        fail("is not a JSON object")
    runtimes = config.get("runtimes", {})
    if not isinstance(runtimes, dict):
        fail('has a "runtimes" that is not a JSON object')
    if "runsc" in runtimes:
        print(f"[r-runner] {path} already has a runsc runtime; leaving it as it is", file=sys.stderr)
        sys.exit(0)
    top = skip_space(0)
    # json.loads keeps the last of duplicate keys, and so does this
    spans = [m for m in members(top) if m[0] == "runtimes"]
    if spans:
        at, inner = spans[-1][1], members(spans[-1][1])
        insert = "\n    " + entry + ("," if inner else "\n  ")
    else:
        at, inner = top, members(top)
        insert = '\n  "runtimes": {\n    ' + entry + "\n  }" + ("," if inner else "\n")
    text = text[:at + 1] + insert + text[at + 1:]
else:
    text = '{\n  "runtimes": {\n    ' + entry + "\n  }\n}\n"

mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644
handle, temp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".daemon.json.")
with os.fdopen(handle, "w", encoding="utf-8") as out:
    out.write(text)
os.chmod(temp, mode)
# why a rename: a reader (or a crash) never sees half a file
os.replace(temp, path)
print(f"[r-runner] added the runsc runtime to {path}", file=sys.stderr)
PY
}

ensure_images() {
    bash "$RR_ROOT/images/build.sh" "$@"
}
