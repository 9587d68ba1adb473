#!/usr/bin/env python3
"""Load driver and report for bench/run.sh; standard library only.

Subcommands (each writes one JSON part; `report` merges the parts, prints the table and writes the result file):
  http     POST /run phases: each script at each concurrency, after a warm-up
  docker   the same scripts as `docker run --rm --network none <image> Rscript -e ...`, the baseline
  callers  N concurrent /run callers held waiting at once; gateway heap, threads and Redis clients sampled
  stream   streamed POST /run of a script printing its clock: how long after R's cat() each line reaches the client
  report   merge parts into one JSON document and print the table

CPU seconds per request come from /proc/stat: the whole machine's busy time (user, nice, system, irq, softirq,
steal) during the phase, divided by the requests that completed. The whole machine, because a request's cost is
spread over the gateway, the worker, Redis, dockerd, containerd, runc and R. `cpu_net` subtracts the background
rate measured before the run (other builds on a shared machine), so compare phases of one sitting, not machines.
"""
import argparse
import base64
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

SCRIPTS = {
    "trivial": {"script": "cat(1)", "stdout": "1", "artifact": None},
    "plot": {"script": "png('p.png'); plot(1:10); invisible(dev.off()); cat('ok')", "stdout": "ok",
             "artifact": "p.png"},
}
CLK_TCK = os.sysconf("SC_CLK_TCK")


def busy_jiffies():
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    rank = max(1, int(round(p / 100.0 * len(sorted_values) + 0.4999)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def measure(label, script_name, concurrency, requests, one_request, background_cores):
    """Runs `requests` calls of one_request() from `concurrency` threads; returns the phase's figures."""
    latencies, errors, lock = [], [], threading.Lock()
    remaining = [requests]

    def worker():
        state = {}
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                problem = one_request(state)
            except Exception as e:  # a failed call is a result of the benchmark, not a crash of it
                problem = repr(e)
            took = (time.perf_counter() - start) * 1000
            with lock:
                if problem:
                    errors.append(problem)
                else:
                    latencies.append(took)

    cpu0, wall0 = busy_jiffies(), time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall0
    cpu = (busy_jiffies() - cpu0) / CLK_TCK
    done = len(latencies)
    ordered = sorted(latencies)
    cpu_net = max(0.0, cpu - background_cores * wall)
    return {
        "what": label, "script": script_name, "concurrency": concurrency, "requests": requests,
        "ok": done, "errors": len(errors), "error_samples": sorted(set(errors))[:3],
        "p50_ms": percentile(ordered, 50), "p95_ms": percentile(ordered, 95), "p99_ms": percentile(ordered, 99),
        "mean_ms": sum(ordered) / done if done else None,
        "wall_s": wall, "rps": done / wall if wall > 0 else None,
        "cpu_s": cpu, "cpu_s_per_req": cpu / done if done else None,
        "cpu_net_s_per_req": cpu_net / done if done else None,
    }


def run_call(url, token, name):
    parsed = urllib.parse.urlparse(url)
    body = json.dumps({"script": SCRIPTS[name]["script"]})
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

    def call(state):
        conn = state.get("conn")
        if conn is None:
            conn = state["conn"] = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        try:
            conn.request("POST", "/run", body=body, headers=headers)
            response = conn.getresponse()
            text = response.read()
        except (http.client.HTTPException, OSError):
            state.pop("conn", None).close()
            raise
        if response.status != 200:
            return "HTTP %d %s" % (response.status, text[:120])
        answer = json.loads(text)
        return check(answer.get("stdout"), [a["filename"] for a in answer.get("artifacts", [])], name)
    return call


def check(stdout, artifacts, name):
    expected = SCRIPTS[name]
    if stdout != expected["stdout"]:
        return "stdout %r" % (stdout[:80] if stdout else stdout)
    if expected["artifact"] and expected["artifact"] not in artifacts:
        return "no %s among %s" % (expected["artifact"], artifacts)
    return None


def docker_call(image, name):
    script = SCRIPTS[name]["script"]
    if SCRIPTS[name]["artifact"]:
        # why base64 p.png: the service returns the file, so the baseline reads it back out too
        command = ["docker", "run", "--rm", "--network", "none", "-w", "/tmp", image, "sh", "-c",
                   "Rscript -e \"$0\" && echo && base64 " + SCRIPTS[name]["artifact"], script]
    else:
        command = ["docker", "run", "--rm", "--network", "none", image, "Rscript", "-e", script]

    def call(state):
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            return "exit %d %s" % (done.returncode, done.stderr[:120])
        first, _, rest = done.stdout.partition("\n")
        artifacts = [SCRIPTS[name]["artifact"]] if rest and base64.b64decode(rest)[:4] == b"\x89PNG" else []
        return check(first if SCRIPTS[name]["artifact"] else done.stdout, artifacts, name)
    return call


def background_rate(seconds):
    cpu0, wall0 = busy_jiffies(), time.perf_counter()
    time.sleep(seconds)
    return (busy_jiffies() - cpu0) / CLK_TCK / (time.perf_counter() - wall0)


def phases(args, make_call):
    background = args.background if args.background is not None else background_rate(3)
    results = []
    for name in args.scripts.split(","):
        call = make_call(name)
        warm = measure(args.label, name, 1, args.warmup, call, background)
        if warm["errors"]:
            print("warm-up of %s failed: %s" % (name, warm["error_samples"]), file=sys.stderr)
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            requests = max(args.requests, concurrency)
            result = measure(args.label, name, concurrency, requests, call, background)
            print("  %-22s %-8s c=%-2d n=%-3d p50=%6.0f ms  %5.2f req/s  errors=%d" % (
                args.label, name, concurrency, requests, result["p50_ms"] or -1, result["rps"] or 0,
                result["errors"]), file=sys.stderr)
            results.append(result)
    return {"phases": results, "background_cores": background}


def callers(args):
    """N callers at once, each with its own script and its own expected answer, against a fake worker."""
    parsed = urllib.parse.urlparse(args.url)
    samples, answers, lock, stop = [], {}, threading.Lock(), threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(gateway_figures(args))
            stop.wait(0.5)

    def caller(i):
        body = json.dumps({"script": "cat('caller-%d')" % i})
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=args.timeout)
        try:
            conn.request("POST", "/run", body=body, headers={"Authorization": "Bearer " + args.token,
                                                             "Content-Type": "application/json"})
            response = conn.getresponse()
            text = response.read()
            result = json.loads(text).get("stdout") if response.status == 200 else "HTTP %d" % response.status
        except Exception as e:
            result = repr(e)
        finally:
            conn.close()
        with lock:
            answers[i] = result

    before = gateway_figures(args)
    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    threads = [threading.Thread(target=caller, args=(i,), daemon=True) for i in range(args.n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    after = gateway_figures(args)
    wrong = {i: a for i, a in answers.items() if a != "caller-%d" % i}
    peak = {key: max((s[key] for s in samples if s.get(key) is not None), default=None)
            for key in ("heap_mb", "threads", "redis_clients")}
    return {"callers": {"n": args.n, "own_answer": args.n - len(wrong), "wrong": len(wrong),
                        "wrong_samples": dict(list(wrong.items())[:3]), "wall_s": wall,
                        "before": before, "peak": peak, "after": after}}


STREAM_LINES = 10
# why the script prints its own clock: the container shares the host's kernel clock, so the client can subtract
STREAM_SCRIPT = ("for (i in 1:%d) { cat(sprintf('%%.6f\\n', as.numeric(Sys.time()))); Sys.sleep(0.2) }"
                 % STREAM_LINES)


def stream(args):
    """Streamed /run (NDJSON): for every printed line, client arrival time minus the time R printed it."""
    parsed = urllib.parse.urlparse(args.url)
    delays, errors = [], 0
    for _ in range(args.runs):
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        seen = 0
        try:
            conn.request("POST", "/run", body=json.dumps({"script": STREAM_SCRIPT}), headers={
                "Authorization": "Bearer " + args.token, "Content-Type": "application/json",
                "Accept": "application/x-ndjson"})
            response = conn.getresponse()
            if response.status != 200:
                errors += 1
                continue
            for raw in response:
                arrived = time.time()
                event = json.loads(raw)
                if event.get("type") == "stdout":
                    for printed in event["data"].split():
                        delays.append((arrived - float(printed)) * 1000)
                        seen += 1
            if seen != STREAM_LINES:
                errors += 1
        except (http.client.HTTPException, OSError, ValueError):
            errors += 1
        finally:
            conn.close()
    delays.sort()
    return {"stream": {"runs": args.runs, "lines": len(delays), "errors": errors,
                       "p50_ms": percentile(delays, 50), "p95_ms": percentile(delays, 95),
                       "max_ms": delays[-1] if delays else None}}


def gateway_figures(args):
    figures = {"heap_mb": None, "threads": None, "redis_clients": None}
    try:
        parsed = urllib.parse.urlparse(args.metrics)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)
        conn.request("GET", parsed.path)
        text = conn.getresponse().read().decode()
        heap = sum(float(line.split()[-1]) for line in text.splitlines()
                   if line.startswith("jvm_memory_used_bytes") and 'area="heap"' in line)
        figures["heap_mb"] = round(heap / 1e6, 1)
        for line in text.splitlines():
            if line.startswith("jvm_threads_live_threads"):
                figures["threads"] = int(float(line.split()[-1]))
    except (OSError, ValueError, http.client.HTTPException):
        pass
    try:
        listing = subprocess.run(args.redis_cli.split() + ["CLIENT", "LIST"], capture_output=True, text=True,
                                 timeout=5).stdout
        figures["redis_clients"] = len([line for line in listing.splitlines() if line.strip()])
    except (OSError, subprocess.TimeoutExpired):
        pass
    return figures


def report(args):
    merged = {"phases": [], "meta": {}}
    for path in args.parts:
        with open(path) as part:
            data = json.load(part)
        merged["phases"].extend(data.pop("phases", []))
        merged.update({k: v for k, v in data.items() if k != "meta"})
        merged["meta"].update(data.get("meta", {}))
    merged["meta"].update(json.loads(args.meta))
    with open(args.json, "w") as out:
        json.dump(merged, out, indent=2)
    print_table(merged)
    failed = sum(p["errors"] for p in merged["phases"]) + merged.get("callers", {}).get("wrong", 0) \
        + merged.get("queue", {}).get("errors", 0) + merged.get("stream", {}).get("errors", 0)
    if args.strict and failed:
        print("\n%d request(s) failed" % failed, file=sys.stderr)
        sys.exit(1)


def number(value, digits=0):
    return "-" if value is None else ("%.*f" % (digits, value))


def print_table(merged):
    header = ("what", "script", "conc", "n", "p50 ms", "p95 ms", "p99 ms", "req/s", "cpu s/req", "net s/req",
              "errors")
    rows = [(p["what"], p["script"], str(p["concurrency"]), str(p["requests"]), number(p["p50_ms"]),
             number(p["p95_ms"]), number(p["p99_ms"]), number(p["rps"], 2), number(p["cpu_s_per_req"], 2),
             number(p["cpu_net_s_per_req"], 2), str(p["errors"])) for p in merged["phases"]]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    for mode in ("off", "on"):
        pool = merged["meta"].get("worker_pool_" + mode)
        if pool:
            print("worker with pool %s: %d jobs took a prepared sandbox, %d started cold" % (
                mode, pool["warm_takes"], pool["cold_takes"]))
    if "queue" in merged:
        q = merged["queue"]
        print("\nqueue protocol only (%d workers, %d waiters, %d jobs): %.0f jobs/s, dispatch p50 %.1f ms, "
              "p99 %.1f ms, errors %d; CPU ms per job: Redis %s, workers+waiters JVM %s" % (
                  q["workers"], q["waiters"], q["jobs"], q["jobs_per_s"], q["p50_ms"], q["p99_ms"], q["errors"],
                  number(q.get("redis_cpu_ms_per_job"), 3), number(q.get("client_cpu_ms_per_job"), 3)))
    if "stream" in merged:
        st = merged["stream"]
        print("\nstreamed /run, R's cat() until the line reaches the client (%d lines in %d runs): p50 %s ms, "
              "p95 %s ms, max %s ms, errors %d" % (st["lines"], st["runs"], number(st["p50_ms"], 1),
                                                   number(st["p95_ms"], 1), number(st["max_ms"], 1),
                                                   st["errors"]))
    if "callers" in merged:
        c = merged["callers"]
        print("\n%d concurrent /run callers: %d got their own answer, %d did not; gateway heap MB / threads / "
              "Redis clients: before %s, peak %s, after %s" % (
                  c["n"], c["own_answer"], c["wrong"], fmt(c["before"]), fmt(c["peak"]), fmt(c["after"])))


def fmt(figures):
    return "%s/%s/%s" % (figures.get("heap_mb"), figures.get("threads"), figures.get("redis_clients"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("http", "docker"):
        p = sub.add_parser(name)
        p.add_argument("--label", required=True)
        p.add_argument("--scripts", default="trivial,plot")
        p.add_argument("--concurrency", default="1,4,8")
        p.add_argument("--requests", type=int, default=24)
        p.add_argument("--warmup", type=int, default=3)
        p.add_argument("--background", type=float, help="background CPU in cores; measured for 3 s if absent")
        p.add_argument("--out", required=True)
        if name == "http":
            p.add_argument("--url", required=True)
            p.add_argument("--token", required=True)
        else:
            p.add_argument("--image", required=True)
    p = sub.add_parser("callers")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--metrics", required=True, help="the gateway's Prometheus endpoint")
    p.add_argument("--redis-cli", required=True, help="command line of redis-cli for the service's Redis")
    p.add_argument("--out", required=True)
    p = sub.add_parser("stream")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out", required=True)
    p = sub.add_parser("background")
    p.add_argument("--seconds", type=float, default=5)
    p = sub.add_parser("report")
    p.add_argument("--json", required=True)
    p.add_argument("--meta", default="{}")
    p.add_argument("--strict", action="store_true", help="exit 1 if any request failed")
    p.add_argument("parts", nargs="+")
    args = parser.parse_args()

    if args.command == "background":
        print("%.3f" % background_rate(args.seconds))
        return
    if args.command == "report":
        report(args)
        return
    if args.command == "http":
        result = phases(args, lambda name: run_call(args.url, args.token, name))
    elif args.command == "docker":
        result = phases(args, lambda name: docker_call(args.image, name))
    elif args.command == "stream":
        result = stream(args)
    else:
        result = callers(args)
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
