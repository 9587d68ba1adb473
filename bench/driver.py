#!/usr/bin/env python3
"""Load driver and report for bench/run.sh; standard library only.

Subcommands (each writes one JSON part; `report` merges the parts, prints the table and writes the result file):
  http     POST /run phases: each script at each concurrency, after a warm-up
  compare  the warm path at concurrency 1: a plain request, one with a 1 MB input file and one with non-default
           limits, taken in turn with a pause before each, so each finds a prepared sandbox; p50/p95 of each as a
           ratio to the plain one
  docker   the same scripts as `docker run --rm --network none <image> Rscript -e ...`, the baseline
  callers  N concurrent /run callers held waiting at once; gateway heap, threads and Redis clients sampled
  stream   streamed POST /run of a script printing its clock: how long after R's cat() each line reaches the client
  mcp      run_r over MCP's streamable HTTP against POST /run of the same script: the latency MCP adds
  sessions live R sessions: create-to-ready latency, trivial execs in a ready session against one-shot POST /run
           of the same script in the same sitting, execs after a package was loaded in an earlier exec, and the
           idle memory of a session's container
  report   merge parts into one JSON document and print the table

CPU seconds per request come from /proc/stat: the whole machine's busy time (user, nice, system, irq, softirq,
steal) during the phase, divided by the requests that completed. The whole machine, because a request's cost is
spread over the gateway, the worker, Redis, dockerd, containerd, runc and R. `cpu_net` subtracts the background
rate measured before the run (other builds on a shared machine), so compare phases of one sitting, not machines.
"""
import argparse
import base64
import hashlib
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


def csv_of_size(limit):
    """A CSV of whole rows, as close to `limit` bytes as whole rows allow (never above); the same every time."""
    lines, i = ["id,group,x,y\n"], 0
    size = len(lines[0])
    while True:
        line = "%d,g%d,%.6f,%.6f\n" % (i, i % 7, (i * 0.37) % 100, (i * 1.61) % 10)
        if size + len(line) > limit:
            return "".join(lines)
        lines.append(line)
        size += len(line)
        i += 1


INPUT_PATH = "data/in.csv"
INPUT_CSV = csv_of_size(1000000)
LIMITS = {"timeout_seconds": 60, "memory_mb": 1024, "cpus": 1.5}
# The compare phase's requests: what each sends besides its script, and what its answer must show. Each checks that
# the server applied what it sent (the result's provenance), so a server that ignored a field counts as an error
# rather than as a fast request.
REQUESTS = {
    "plain": {"body": {"script": "cat(1)"}, "stdout": "1"},
    "input-1mb": {
        "body": {"script": "cat(sprintf('%%.0f', file.size('%s')))" % INPUT_PATH,
                 "files": [{"path": INPUT_PATH, "content": INPUT_CSV, "encoding": "utf-8"}]},
        "stdout": str(len(INPUT_CSV.encode())),
        "input_files": [{"path": INPUT_PATH, "size": len(INPUT_CSV.encode()),
                         "sha256": hashlib.sha256(INPUT_CSV.encode()).hexdigest()}]},
    "limits": {"body": {"script": "cat(1)", "limits": LIMITS}, "stdout": "1", "limits": LIMITS},
}


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


def server_timing(header):
    """{"queue": {"dur": 1.2}, "acquire": {"dur": 0.1, "desc": "warm"}, ...} from a Server-Timing header."""
    metrics = {}
    for entry in (header or "").split(","):
        parts = [p.strip() for p in entry.split(";") if p.strip()]
        if not parts:
            continue
        params = {}
        for param in parts[1:]:
            key, _, value = param.partition("=")
            value = value.strip('"')
            try:
                params[key] = float(value) if key == "dur" else value
            except ValueError:
                params[key] = value
        metrics[parts[0]] = params
    return metrics


def check_applied(answer, name):
    """Why an answer to REQUESTS[name] is wrong, or None: stdout, no artifacts, and provenance of what was sent."""
    expected = REQUESTS[name]
    if answer.get("stdout") != expected["stdout"]:
        return "stdout %r" % (answer.get("stdout") or "")[:80]
    # why: an input file the script did not change is not an artifact
    if answer.get("artifacts"):
        return "artifacts %s" % [a.get("filename") for a in answer["artifacts"]]
    provenance = answer.get("provenance") or {}
    if "limits" in expected and provenance.get("limits") != expected["limits"]:
        return "limits applied %s, asked for %s" % (provenance.get("limits"), expected["limits"])
    if "input_files" in expected and provenance.get("input_files") != expected["input_files"]:
        return "input files %s" % str(provenance.get("input_files"))[:160]
    return None


def compare(args):
    """REQUESTS at concurrency 1, in turn (the order rotating each round), a pause after each; a phase per request."""
    names = list(REQUESTS)
    background = args.background if args.background is not None else background_rate(3)
    results = {name: {"latencies": [], "errors": [], "cpu_s": 0.0, "slot_s": 0.0, "timings": []} for name in names}
    send = compare_call(args.url, args.token)
    # why a pause first: the phase before may have left the pool empty
    time.sleep(args.pause)
    for round_number in range(args.warmup + args.requests):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            cpu0, start = busy_jiffies(), time.perf_counter()
            problem, took, timing = send(name)
            # why the pause counts: the sandbox's removal and its replacement in the pool happen after the answer,
            # and are this request's cost too
            time.sleep(args.pause)
            if round_number < args.warmup:
                continue
            result = results[name]
            result["cpu_s"] += (busy_jiffies() - cpu0) / CLK_TCK
            result["slot_s"] += time.perf_counter() - start
            if problem:
                result["errors"].append(problem)
            else:
                result["latencies"].append(took)
                result["timings"].append(timing)
    send.close()
    phases = [compare_phase(args.label, name, results[name], args.requests, background) for name in names]
    plain = phases[0]
    for phase in phases:
        for p in ("p50", "p95"):
            mine, base = phase[p + "_ms"], plain[p + "_ms"]
            phase["ratio_" + p] = mine / base if mine is not None and base else None
    return {"phases": phases}


def compare_call(url, token):
    """send(name) -> (problem or None, client latency in ms, Server-Timing), over one kept-alive connection."""
    parsed = urllib.parse.urlparse(url)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    bodies = {name: json.dumps(request["body"]).encode() for name, request in REQUESTS.items()}
    state = {}

    def send(name):
        start = time.perf_counter()
        try:
            if "conn" not in state:
                state["conn"] = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
            state["conn"].request("POST", "/run", body=bodies[name], headers=headers)
            response = state["conn"].getresponse()
            text = response.read()
            took = (time.perf_counter() - start) * 1000
            timing = server_timing(response.getheader("Server-Timing"))
            if response.status != 200:
                return "HTTP %d %s" % (response.status, text[:160]), took, timing
            return check_applied(json.loads(text), name), took, timing
        except (http.client.HTTPException, OSError, ValueError) as e:
            conn = state.pop("conn", None)
            if conn is not None:
                conn.close()
            return repr(e), None, {}

    def close():
        if "conn" in state:
            state.pop("conn").close()
    send.close = close
    return send


def compare_phase(label, name, result, requests, background):
    ordered = sorted(result["latencies"])
    done = len(ordered)
    timings = result["timings"]

    def median(metric):
        return percentile(sorted(t[metric]["dur"] for t in timings if "dur" in t.get(metric, {})), 50)
    # what the service adds around the script: everything in total that is not the script's own run
    added = sorted(t["total"]["dur"] - t["run"]["dur"] for t in timings
                   if "dur" in t.get("total", {}) and "dur" in t.get("run", {}))
    return {
        "what": label, "script": name, "concurrency": 1, "requests": requests,
        "ok": done, "errors": len(result["errors"]), "error_samples": sorted(set(result["errors"]))[:3],
        "p50_ms": percentile(ordered, 50), "p95_ms": percentile(ordered, 95), "p99_ms": percentile(ordered, 99),
        "mean_ms": sum(ordered) / done if done else None,
        # why no rate: the requests were paced, so requests per second would measure the pause
        "wall_s": result["slot_s"], "rps": None,
        "cpu_s": result["cpu_s"], "cpu_s_per_req": result["cpu_s"] / done if done else None,
        "cpu_net_s_per_req": max(0.0, result["cpu_s"] - background * result["slot_s"]) / done if done else None,
        "warm_acquires": sum(1 for t in timings if t.get("acquire", {}).get("desc") == "warm"),
        "server_timing_p50_ms": {metric: median(metric) for metric in ("queue", "acquire", "run", "collect", "total")},
        "server_added_p50_ms": percentile(added, 50),
        "request_bytes": len(json.dumps(REQUESTS[name]["body"]).encode()),
    }


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


def sessions(args):
    """Sessions against one-shot runs, taken in one sitting over one kept-alive connection, back to back."""
    parsed = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=300)
    headers = {"Authorization": "Bearer " + args.token, "Content-Type": "application/json"}

    def call(method, path, body=None):
        start = time.perf_counter()
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = conn.getresponse()
        text = response.read()
        took = (time.perf_counter() - start) * 1000
        return response.status, (json.loads(text) if text else None), took

    def timed(values, method, path, body, expect):
        status, answer, took = call(method, path, body)
        if status != expect:
            raise SystemExit("%s %s: HTTP %d %s" % (method, path, status, answer))
        values.append(took)
        return answer

    def figures(values):
        ordered = sorted(values)
        return {"n": len(ordered), "p50_ms": percentile(ordered, 50), "p95_ms": percentile(ordered, 95)}

    create_body = {"environment": args.environment} if args.environment else {}
    created = []
    for _ in range(args.creates):
        session = timed(created, "POST", "/sessions", create_body, 201)
        call("DELETE", "/sessions/" + session["id"])
    session = timed([], "POST", "/sessions", create_body, 201)
    exec_path = "/sessions/%s/exec" % session["id"]
    trivial = {"script": "cat(1)"}
    for _ in range(args.warmup):
        timed([], "POST", exec_path, trivial, 200)
        timed([], "POST", "/run", trivial, 200)
    # why in two blocks, not alternating: each /run makes the warm pool start a container after it, and that work
    # would land in the next exec's time
    execs, runs = [], []
    for _ in range(args.requests):
        timed(execs, "POST", exec_path, trivial, 200)
    for _ in range(args.requests):
        timed(runs, "POST", "/run", trivial, 200)
    load = []
    timed(load, "POST", exec_path, {"script": "suppressPackageStartupMessages(library(%s))" % args.package}, 200)
    loaded = []
    for _ in range(args.requests):
        timed(loaded, "POST", exec_path, {"script": "library(%s); cat(1)" % args.package}, 200)
    memory = subprocess.run(["docker", "ps", "--filter", "label=rrunner.session=" + session["id"], "--format",
                             "{{.ID}}"], capture_output=True, text=True).stdout.split()
    idle_mb = None
    if memory:
        stats = subprocess.run(["docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", memory[0]],
                               capture_output=True, text=True).stdout.split("/")[0].strip()
        units = {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}
        for unit, factor in units.items():
            if stats.endswith(unit):
                idle_mb = float(stats[:-len(unit)]) * factor
    call("DELETE", "/sessions/" + session["id"])
    conn.close()
    exec_figures, run_figures = figures(execs), figures(runs)
    return {"sessions": {
        "environment": args.environment or "default", "package": args.package,
        "create_to_ready": figures(created), "exec_trivial": exec_figures, "run_trivial": run_figures,
        "exec_to_run_p50": exec_figures["p50_ms"] / run_figures["p50_ms"],
        "package_load_ms": load[0], "exec_after_load": figures(loaded),
        "idle_memory_mb": idle_mb}}


def mcp(args):
    """run_r over MCP's streamable HTTP against POST /run of the same script, alternating, one connection each."""
    parsed = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=300)
    headers = {"Authorization": "Bearer " + args.token, "Content-Type": "application/json",
               "Accept": "application/json, text/event-stream"}

    def post(path, body, extra=None):
        start = time.perf_counter()
        conn.request("POST", path, body=json.dumps(body), headers=dict(headers, **(extra or {})))
        response = conn.getresponse()
        text = response.read().decode()
        took = (time.perf_counter() - start) * 1000
        if response.status not in (200, 202):
            raise SystemExit("POST %s: HTTP %d %s" % (path, response.status, text))
        return response, text, took

    response, _, _ = post("/mcp", {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}})
    session = {"Mcp-Session-Id": response.getheader("Mcp-Session-Id")}
    post("/mcp", {"jsonrpc": "2.0", "method": "notifications/initialized"}, session)

    def run_r(i):
        _, text, took = post("/mcp", {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {
            "name": "run_r", "arguments": {"script": "cat(1)"}}}, session)
        # why the last data line: progress notifications may come first on the same stream
        answer = json.loads([line[5:] for line in text.splitlines() if line.startswith("data:")][-1])
        if answer.get("result", {}).get("isError", True):
            raise SystemExit("run_r failed: %s" % answer)
        return took

    def run():
        _, text, took = post("/run", {"script": "cat(1)"})
        if json.loads(text)["stdout"] != "1":
            raise SystemExit("POST /run answered %s" % text)
        return took

    for i in range(args.warmup):
        run_r(i + 1)
        run()
    calls, runs = [], []
    for i in range(args.requests):
        calls.append(run_r(args.warmup + i + 1))
        runs.append(run())
    conn.close()

    def figures(values):
        ordered = sorted(values)
        return {"n": len(ordered), "p50_ms": percentile(ordered, 50), "p95_ms": percentile(ordered, 95)}

    call_figures, run_figures = figures(calls), figures(runs)
    return {"mcp": {"run_r": call_figures, "run": run_figures,
                    "added_p50_ms": call_figures["p50_ms"] - run_figures["p50_ms"],
                    "ratio_p50": call_figures["p50_ms"] / run_figures["p50_ms"]}}


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
    merged["targets"] = cost_targets(merged)
    with open(args.json, "w") as out:
        json.dump(merged, out, indent=2)
    print_table(merged)
    failed = sum(p["errors"] for p in merged["phases"]) + merged.get("callers", {}).get("wrong", 0) \
        + merged.get("queue", {}).get("errors", 0) + merged.get("queue_ceiling", {}).get("errors", 0) \
        + merged.get("stream", {}).get("errors", 0)
    if args.strict and failed:
        print("\n%d request(s) failed" % failed, file=sys.stderr)
        sys.exit(1)


def phase(merged, what, script, concurrency):
    for p in merged["phases"]:
        if p["what"] == what and p["script"] == script and p["concurrency"] == concurrency:
            return p
    return None


def ratio(a, b):
    return a / b if a is not None and b else None


def cost_targets(merged):
    """Each cost target of issue 13 against what this sitting measured: met, missed, or None when not measured."""
    docker, warm = "docker run --rm", "POST /run, pool on"
    targets = []

    def target(text, value, limit, shown, higher_is_better=False):
        met = None if value is None else (value >= limit if higher_is_better else value <= limit)
        targets.append({"target": text, "value": value, "limit": limit, "met": met, "measured": shown})
    d8, w8 = phase(merged, docker, "trivial", 8), phase(merged, warm, "trivial", 8)
    r = ratio(w8 and w8["rps"], d8 and d8["rps"])
    target("conc 8 trivial: req/s >= 1.1x docker run", r, 1.1, "%s x (%s vs %s req/s, errors %s)" % (
        number(r, 2), number(w8 and w8["rps"], 2), number(d8 and d8["rps"], 2), w8 and w8["errors"]), True)
    for conc in (1, 8):
        d, w = phase(merged, docker, "trivial", conc), phase(merged, warm, "trivial", conc)
        r = ratio(w and w["cpu_net_s_per_req"], d and d["cpu_net_s_per_req"])
        target("conc %d trivial: CPU s/req <= docker run's" % conc, r, 1.0, "%s x (%s vs %s net CPU s/req)" % (
            number(r, 2), number(w and w["cpu_net_s_per_req"], 3), number(d and d["cpu_net_s_per_req"], 3)))
    d1, w1 = phase(merged, docker, "trivial", 1), phase(merged, warm, "trivial", 1)
    r = ratio(w1 and w1["p50_ms"], d1 and d1["p50_ms"])
    target("conc 1 trivial: p50 <= 0.15x docker run p50", r, 0.15, "%s x (%s vs %s ms)" % (
        number(r, 2), number(w1 and w1["p50_ms"]), number(d1 and d1["p50_ms"])))
    paced = phase(merged, warm + ", paced", "plain", 1)
    added = paced and paced.get("server_added_p50_ms")
    target("Server-Timing total - run p50 <= 25 ms (paced, plain)", added, 25, "%s ms" % number(added, 1))
    fast = phase(merged, warm + ", paced 0.2 s", "plain", 1)
    r = ratio(fast and fast["p95_ms"], d1 and d1["p50_ms"])
    target("conc 1, 200 ms apart: p95 <= 0.35x docker run p50", r, 0.35, "%s x (p95 %s ms)" % (
        number(r, 2), number(fast and fast["p95_ms"])))
    dp, wp = phase(merged, docker, "plot", 1), phase(merged, warm, "plot", 1)
    r = ratio(wp and wp["p50_ms"], dp and dp["p50_ms"])
    target("plot PNG conc 1: p50 <= 0.3x docker run p50", r, 0.3, "%s x (%s vs %s ms)" % (
        number(r, 2), number(wp and wp["p50_ms"]), number(dp and dp["p50_ms"])))
    q = merged.get("queue")
    if q:
        met = q["jobs_per_s"] >= 5000 and q["dispatch_p99_ms"] <= 5 and q["offered_per_s"] >= 5000
        targets.append({"target": "queue alone: >= 5000 jobs/s, dispatch p99 <= 5 ms", "value": q["jobs_per_s"],
                        "limit": 5000, "met": met, "measured": "%.0f jobs/s offered %d, dispatch p99 %.2f ms" % (
                            q["jobs_per_s"], q["offered_per_s"], q["dispatch_p99_ms"])})
    return targets


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
    for label in dict.fromkeys(p["what"] for p in merged["phases"] if "ratio_p50" in p):
        compared = [p for p in merged["phases"] if p["what"] == label]
        print("\nwarm path, one request at a time, each after a pause (%s): p50 and p95 as ratios to %s" % (
            label, compared[0]["script"]))
        for p in compared:
            print("  %-10s %8s bytes sent  p50 %s ms (%sx)  p95 %s ms (%sx)  %d/%d took a prepared sandbox%s" % (
                p["script"], p["request_bytes"], number(p["p50_ms"]), number(p["ratio_p50"], 2), number(p["p95_ms"]),
                number(p["ratio_p95"], 2), p["warm_acquires"], p["ok"],
                "  server p50 ms: " + ", ".join("%s %s" % (k, number(v, 1))
                                                for k, v in p["server_timing_p50_ms"].items() if v is not None)
                + ", total - run %s" % number(p.get("server_added_p50_ms"), 1)))
    for mode in ("off", "on"):
        pool = merged["meta"].get("worker_pool_" + mode)
        if pool:
            print("worker with pool %s: %d jobs took a prepared sandbox, %d started cold" % (
                mode, pool["warm_takes"], pool["cold_takes"]))
    for key, what in (("queue", "offered at %d jobs/s"), ("queue_ceiling", "as fast as 256 in flight allow%.0s")):
        if key in merged:
            q = merged[key]
            print("\nqueue protocol only, %s (%d workers, %d jobs): %.0f jobs/s, dispatch p50 %.2f ms p99 %.2f ms, "
                  "waiter told p50 %.2f ms p99 %.2f ms, errors %d; CPU ms per job: Redis %.3f, harness %.3f; busy: "
                  "Redis %.0f%% of its core, harness %.2f cores" % (
                      what % q["offered_per_s"], q["workers"], q["jobs"], q["jobs_per_s"], q["dispatch_p50_ms"],
                      q["dispatch_p99_ms"], q["told_p50_ms"], q["told_p99_ms"], q["errors"],
                      q["redis_cpu_ms_per_job"], q["client_cpu_ms_per_job"], 100 * q["redis_busy"],
                      q["client_busy_cores"]))
    if "fairness" in merged:
        fa = merged["fairness"]
        cost = fa["claim_cost"]
        print("\nfair claim, tenants weighted %s: claims with jobs ending at once %s, with 8 busy slots %s; a one-job "
              "tenant behind a %d-job flood (4 workers) was claimed after %d claims, %.1f ms; a claim with 1 tenant "
              "waiting p50 %.2f ms (Redis %.0f us), with 100 tenants p50 %.2f ms (Redis %.0f us)" % (
                  fa["weights"], fa["shares_instant"], fa["shares_busy"], fa["flood_jobs"], fa["small_wait_claims"],
                  fa["small_wait_ms"], cost["1"]["p50_ms"], cost["1"]["redis_usec_per_claim"],
                  cost["100"]["p50_ms"], cost["100"]["redis_usec_per_claim"]))
    if "stream" in merged:
        st = merged["stream"]
        print("\nstreamed /run, R's cat() until the line reaches the client (%d lines in %d runs): p50 %s ms, "
              "p95 %s ms, max %s ms, errors %d" % (st["lines"], st["runs"], number(st["p50_ms"], 1),
                                                   number(st["p95_ms"], 1), number(st["max_ms"], 1),
                                                   st["errors"]))
    if "sessions" in merged:
        se = merged["sessions"]
        print("\nsessions (%s): create to ready p50 %s ms p95 %s ms; trivial exec p50 %s ms p95 %s ms against "
              "POST /run p50 %s ms (%.2fx); loading %s %s ms, then execs using it p50 %s ms; idle container %s MiB"
              % (se["environment"], number(se["create_to_ready"]["p50_ms"]), number(se["create_to_ready"]["p95_ms"]),
                 number(se["exec_trivial"]["p50_ms"], 1), number(se["exec_trivial"]["p95_ms"], 1),
                 number(se["run_trivial"]["p50_ms"], 1), se["exec_to_run_p50"], se["package"],
                 number(se["package_load_ms"]), number(se["exec_after_load"]["p50_ms"], 1),
                 number(se["idle_memory_mb"], 1)))
    if "mcp" in merged:
        m = merged["mcp"]
        print("\nmcp: run_r of cat(1) p50 %s ms p95 %s ms against POST /run p50 %s ms p95 %s ms: %s ms added "
              "(%.2fx)" % (number(m["run_r"]["p50_ms"], 1), number(m["run_r"]["p95_ms"], 1),
                           number(m["run"]["p50_ms"], 1), number(m["run"]["p95_ms"], 1),
                           number(m["added_p50_ms"], 1), m["ratio_p50"]))
    targets = merged.get("targets") or []
    if targets:
        print("\ncost targets (issue 13), ratios to docker run --rm of the same sitting:")
        for t in targets:
            print("  %-4s %-62s %s" % ("met" if t["met"] else ("-" if t["met"] is None else "MISS"), t["target"],
                                       t["measured"]))
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
    p = sub.add_parser("compare")
    p.add_argument("--label", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--requests", type=int, default=24, help="of each kind")
    p.add_argument("--warmup", type=int, default=1, help="rounds not counted")
    p.add_argument("--pause", type=float, default=1.5,
                   help="seconds after each request, for the pool to prepare the next sandbox")
    p.add_argument("--background", type=float, help="background CPU in cores; measured for 3 s if absent")
    p.add_argument("--out", required=True)
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
    p = sub.add_parser("mcp")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--requests", type=int, default=30, help="of each kind")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--out", required=True)
    p = sub.add_parser("sessions")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--environment", help="the sessions' environment; the default one if absent")
    p.add_argument("--package", default="stats4", help="loaded in one exec, then used by later ones")
    p.add_argument("--creates", type=int, default=5)
    p.add_argument("--requests", type=int, default=30)
    p.add_argument("--warmup", type=int, default=3)
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
    elif args.command == "compare":
        result = compare(args)
    elif args.command == "stream":
        result = stream(args)
    elif args.command == "sessions":
        result = sessions(args)
    elif args.command == "mcp":
        result = mcp(args)
    else:
        result = callers(args)
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
