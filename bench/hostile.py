#!/usr/bin/env python3
"""Hostile scripts against a running r-runner: how long each takes to answer, and how long until its worker slot
and its container are free again; then ten jobs at once that each return the largest result the defaults allow,
sampling Redis's memory and the gateway's heap meanwhile. Standard library only; started by bench/hostile.sh."""
import argparse
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request

CASES = {
    "sparse file of a petabyte":
        "con <- file('big.bin', 'wb'); seek(con, 1e15); writeBin(as.raw(1), con); close(con)",
    "sparse files past the read budget":
        "for (i in 1:20) { con <- file(sprintf('s%d.bin', i), 'wb'); seek(con, 60 * 1024^2)\n"
        "writeBin(as.raw(1), con); close(con) }",
    "file still growing (leftover process)":
        "system('sh -c \"while :; do echo 0123456789 >> grow.txt; done\" > /dev/null 2>&1 &'); Sys.sleep(1)",
    "a hundred thousand empty files":
        "invisible(file.create(sprintf('f%06d', 1:1e5)))",
    "deep directory tree":
        "p <- paste(rep('d', 1000), collapse = '/'); dir.create(p, recursive = TRUE)\n"
        "writeLines('deep', file.path(p, 'leaf.txt'))",
    "control-byte text, ten 5 MB files":
        "for (i in 1:10) writeBin(as.raw(rep(1, 5e6)), sprintf('ones%02d.txt', i))",
    "output at the cap":
        "cat(rawToChar(as.raw(rep(1, 2e6)))); cat(strrep('e', 2e6), file = stderr())",
}
MAXIMAL = "for (i in 1:10) { writeBin(as.raw(sample(0:255, 4.99e6, TRUE)), sprintf('r%02d.bin', i)); Sys.sleep(0.01) }"


def request(url, token, method="GET", body=None, timeout=120):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def queue(args):
    status, body = request(args.url + "/queue", args.token)
    return json.loads(body) if status == 200 else None


def containers(worker_id):
    out = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=rrunner.worker={worker_id}",
                          "--filter", "label=rrunner.role=job"], capture_output=True, text=True).stdout
    return [line for line in out.split() if line]


def wait_until(predicate, limit=120, step=0.1):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    return None


def hostile(args):
    rows = []
    for name, script in CASES.items():
        start = time.monotonic()
        status, body = request(args.url + "/run", args.token, "POST", {"script": script})
        answered = time.monotonic() - start
        result = json.loads(body) if status == 200 else {}
        # the job's lease ends when its result is written; the container goes right after
        lease_free = wait_until(lambda: (queue(args) or {}).get("running", 1) == 0)
        container_gone = wait_until(lambda: not containers(args.worker_id))
        busy_zero = wait_until(lambda: all(w["busy"] == 0 for w in (queue(args) or {}).get("workers", [{"busy": 1}])))
        rows.append({
            "case": name, "status": status, "answer_s": round(answered, 2), "bytes": len(body),
            "exit_code": result.get("exit_code"), "artifacts": len(result.get("artifacts", [])),
            "skipped": result.get("skipped_artifact_count", 0),
            "lease_free_after_answer_s": round(lease_free, 2) if lease_free is not None else None,
            "container_gone_after_answer_s": round(lease_free + container_gone, 2)
            if None not in (lease_free, container_gone) else None,
            "heartbeat_busy_0_after_answer_s": round(lease_free + container_gone + busy_zero, 2)
            if None not in (lease_free, container_gone, busy_zero) else None,
        })
        print(json.dumps(rows[-1]), flush=True)
    return rows


def maximal(args):
    peaks = {"redis_used_memory": 0, "gateway_heap": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            info = subprocess.run(args.redis_cli.split() + ["info", "memory"], capture_output=True, text=True).stdout
            for line in info.splitlines():
                if line.startswith("used_memory:"):
                    peaks["redis_used_memory"] = max(peaks["redis_used_memory"], int(line.split(":")[1]))
            status, body = request(args.url + "/actuator/prometheus", args.token)
            if status == 200:
                heap = sum(float(line.rsplit(" ", 1)[1]) for line in body.decode().splitlines()
                           if line.startswith('jvm_memory_used_bytes{area="heap"'))
                peaks["gateway_heap"] = max(peaks["gateway_heap"], heap)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    results = [None] * 10

    def run(i):
        start = time.monotonic()
        status, body = request(args.url + "/run", args.token, "POST", {"script": MAXIMAL}, timeout=300)
        results[i] = {"status": status, "s": round(time.monotonic() - start, 2), "bytes": len(body)}

    threads = [threading.Thread(target=run, args=(i,)) for i in range(10)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    sampler.join()
    row = {"jobs": results, "wall_s": round(time.monotonic() - start, 2),
           "redis_used_memory_peak_mb": round(peaks["redis_used_memory"] / 1e6, 1),
           "gateway_heap_peak_mb": round(peaks["gateway_heap"] / 1e6, 1),
           "gateway_peak_rss_mb": peak_rss_mb(args.gateway_pid),
           "worker_peak_rss_mb": peak_rss_mb(args.worker_pid)}
    print(json.dumps(row), flush=True)
    return row


def peak_rss_mb(pid):
    """VmHWM: the most resident memory the process ever had."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--gateway-pid", required=True)
    p.add_argument("--worker-pid", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--worker-id", required=True)
    p.add_argument("--redis-cli", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    report = {"hostile": hostile(args), "maximal_results": maximal(args)}
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
