# Sourced by the bench scripts: ports and readiness for the apps they start.

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() {  # URL, seconds, pid to watch
    for _ in $(seq 1 "$2"); do
        curl -fsS "$1" >/dev/null 2>&1 && return 0
        kill -0 "$3" 2>/dev/null || return 1
        sleep 1
    done
    return 1
}
