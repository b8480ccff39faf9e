"""Runs the Coro comparison and renders its tables (driven by benchmarks/run-benchmarks.sh).

    python3 scripts/bench.py run [--quick]     # measure everything into target/results/<time>/
    python3 scripts/bench.py report DIR        # (re)write DIR/results.md from DIR's raw results

Raw results in DIR: machine.json, jmh.json (JMH's own JSON), jmh.log, processes.jsonl (one JSON line
per measured process: workloads 5 and 6 for every JVM peer, and the asyncio and Node peers).
Per-unit figures are the JMH score (or the process's own timing) divided by the unit counts of
dev.coro.bench.Sizes, repeated below.
"""
import json
import os
import platform
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(HERE)
JAR = os.path.join(MODULE, "target", "benchmarks.jar")
PY_BENCH = os.path.join(MODULE, "src", "main", "python", "asyncio_bench.py")
NODE_BENCH = os.path.join(MODULE, "src", "main", "node", "async_bench.mjs")

# dev.coro.bench.Sizes
COMPLETED_AWAITS = 10_000
CHAINS = 1_000
SPAWNS = 10_000
ITEMS = 100_000


def yields_per_task(tasks):
    return max(5, 1_000_000 // tasks)


JVM_PEERS = ["coro", "kotlin", "virtualThread", "eaAsync", "completableFuture"]
ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1"
PEER_NAMES = {
    "coro": "Coro",
    "plainCall": "plain call, inlined (floor)",
    "plainCallNotInlined": "plain call, not inlined",
    "kotlin": "Kotlin coroutines",
    "virtualThread": "virtual threads (1 carrier)",
    "platformThread": "platform threads",
    "eaAsync": "ea-async",
    "completableFuture": "CompletableFuture chains",
    "asyncio": "CPython 3.13 asyncio",
    "node": "Node 20",
}


# ---------------------------------------------------------------------------------------- running

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception as e:  # noqa: BLE001 - machine description is best effort
        return "unavailable: %s" % e


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def machine(java):
    model = [l.split(":", 1)[1].strip() for l in sh("lscpu").splitlines() if l.startswith("Model name")]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "cpu": model[0] if model else platform.processor(),
        "cores": os.cpu_count(),
        "memory": sh("free -h | awk '/Mem:/ {print $2}'"),
        "kernel": platform.release(),
        "java_bench": sh("'%s' -version 2>&1 | head -2" % java),
        "java_default": sh("java -version 2>&1 | head -2"),
        "python": sh("'%s' --version" % sys.executable),
        "node": sh("node --version"),
        "loadavg_start": loadavg(),
    }


def process(cmd, extra=None):
    """Runs cmd; returns the last JSON line it printed plus the whole process's wall time."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t0
    rec = {"cmd": " ".join(cmd), "exit": p.returncode, "processWallSeconds": round(wall, 3)}
    lines = [l for l in out.splitlines() if l.startswith("{")]
    if p.returncode == 0 and lines:
        rec.update(json.loads(lines[-1]))
    else:
        msgs = [l for l in err.splitlines() if l.strip() and not l.startswith(("\t", "WARNING", " "))]
        rec["error"] = (msgs or ["exit %d, no output" % p.returncode])[-1][:300]
    if extra:
        rec.update(extra)
    print("  %s -> %s" % (" ".join(cmd[-3:]), rec.get("error") or "ok (%.1fs)" % wall), flush=True)
    return rec


def run(quick):
    java = os.environ.get("JAVA_BENCH", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    if os.path.isdir(java):
        java = os.path.join(java, "bin", "java")
    out = os.path.join(MODULE, "target", "results", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    os.makedirs(out)
    # measure a copy, so that a rebuild during the run cannot mix two versions of the code
    jar = os.path.join(out, "benchmarks.jar")
    shutil.copyfile(JAR, jar)
    m = machine(java)
    m["quick"] = quick
    print("results in", out, flush=True)

    def save_machine():
        with open(os.path.join(out, "machine.json"), "w") as f:
            json.dump(m, f, indent=2)

    save_machine()

    # 1. JMH: workloads 1, 2, 3, 4, 7; the million-task switch benchmark on its own, single shot
    settings = (["-f", "1", "-wi", "1", "-w", "200ms", "-i", "1", "-r", "200ms"] if quick
                else ["-f", "1", "-wi", "2", "-w", "1s", "-i", "4", "-r", "1s"])
    million = ["-f", "1", "-bm", "ss", "-wi", "0", "-i", "1" if quick else "2"]
    gc = (["-f", "1", "-wi", "1", "-w", "200ms", "-i", "1", "-r", "200ms"] if quick
          else ["-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s"]) + ["-prof", "gc"]
    t0 = time.time()
    for name, opts, sel in (("jmh", settings + ["-e", "W2SwitchMillion"], []),
                            ("jmh-million", million, ["W2SwitchMillion"]),
                            ("jmh-gc", gc, ["W1AwaitCompleted"])):
        cmd = [java, "-jar", jar] + sel + opts + ["-tu", "us", "-rf", "json",
                                                  "-rff", os.path.join(out, name + ".json"),
                                                  "-o", os.path.join(out, name + ".log")]
        m[name + "_command"] = " ".join(cmd)
        print("JMH:", m[name + "_command"], flush=True)
        subprocess.run(cmd, check=True)
    m["jmh_minutes"] = round((time.time() - t0) / 60, 1)
    m["loadavg_after_jmh"] = loadavg()
    save_machine()

    # 2. workloads 5 and 6, one JVM per measurement
    n = 100_000 if quick else 1_000_000
    recs = Records(os.path.join(out, "processes.jsonl"))
    print("workloads 5 and 6 (%d tasks)" % n, flush=True)
    for peer in JVM_PEERS:
        flags = [ONE_CARRIER] if peer == "virtualThread" else []
        for mode in ("heap", "wall"):
            recs.append(process([java] + flags + ["-cp", jar, "dev.coro.bench.mem.SleepingTasks", peer, mode, str(n)],
                                {"peer": peer, "mode": mode}))

    # 3. CPython asyncio and Node, whole processes
    print("asyncio and Node", flush=True)
    py = sys.executable
    node = os.environ.get("NODE", "node")
    jobs = []
    for tasks in (1, 1000, 1_000_000):
        if not (quick and tasks == 1_000_000):
            jobs.append(("switch", [str(tasks)]))
    for depth in (1, 10, 100):
        jobs.append(("chain", [str(depth)]))
    jobs += [("spawn_await", []), ("gather", []), ("heap", [str(n)]), ("wall", [str(n)])]
    for what, args in jobs:
        recs.append(process([py, PY_BENCH, what] + args, {"peer": "asyncio", "mode": what}))
        node_cmd = [node] + (["--expose-gc"] if what == "heap" else []) + [NODE_BENCH, what] + args
        recs.append(process(node_cmd, {"peer": "node", "mode": what}))
    for cap in (1, 64):
        recs.append(process([py, PY_BENCH, "queue", str(cap)], {"peer": "asyncio", "mode": "queue"}))
    m["loadavg_end"] = loadavg()
    m["end"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    save_machine()
    report(out)


class Records:
    """processes.jsonl, one line appended per measured process (partial runs keep what they measured)."""

    def __init__(self, path):
        self.path = path
        open(path, "w").close()

    def append(self, rec):
        with open(self.path, "a") as f:
            f.write(json.dumps(rec) + "\n")


# -------------------------------------------------------------------------------------- reporting

def jmh_rows(out):
    """{(workload, param): {peer: (ns_per_unit, err_ns, min_ns, max_ns)}} from jmh.json."""
    rows = {}
    benchmarks = []
    for name in ("jmh.json", "jmh-million.json"):
        path = os.path.join(out, name)
        if os.path.exists(path) and os.path.getsize(path) > 0:
            benchmarks += json.load(open(path))
    for b in benchmarks:
        cls, method = b["benchmark"].rsplit(".", 2)[-2:]
        params = b.get("params", {})
        pm = b["primaryMetric"]
        raw = [x for fork in pm["rawData"] for x in fork]
        if cls == "W1AwaitCompleted":
            key, peer, units = ("w1", None), method, COMPLETED_AWAITS
        elif cls in ("W2Switch", "W2SwitchPlatform", "W2SwitchMillion"):
            t = int(params["tasks"])
            key, peer, units = ("w2", t), method, t * yields_per_task(t)
        elif cls == "W3Chain":
            d = int(params["depth"])
            key, peer, units = ("w3", d), method, CHAINS
        elif cls == "W4Spawn":
            kind = "spawnAwait" if method.startswith("spawnAwait") else "gather"
            peer = method[len(kind):]
            peer = peer[0].lower() + peer[1:]
            key, units = ("w4", kind), SPAWNS
        elif cls == "W7Queue":
            key, peer, units = ("w7", int(params["capacity"])), method, ITEMS
        else:
            continue
        f = 1000.0 / units  # us/op -> ns/unit
        err = pm.get("scoreError")
        err = None if err in (None, "NaN") or err != err else err * f
        rows.setdefault(key, {})[peer] = (pm["score"] * f, err, min(raw) * f, max(raw) * f)
    return rows


def alloc_rows(out):
    """{peer: bytes allocated per await} from the -prof gc run of workload 1."""
    path = os.path.join(out, "jmh-gc.json")
    res = {}
    if os.path.exists(path) and os.path.getsize(path) > 0:
        for b in json.load(open(path)):
            norm = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            if norm:
                res[b["benchmark"].rsplit(".", 1)[-1]] = norm["score"] / COMPLETED_AWAITS
    return res


def proc_rows(out, rows):
    """Adds the asyncio/Node timings; returns the workload 5/6 records."""
    path = os.path.join(out, "processes.jsonl")
    mem = []
    if not os.path.exists(path):
        return mem
    for line in open(path):
        r = json.loads(line)
        mode = r.get("mode")
        if mode in ("heap", "wall"):
            mem.append(r)
            continue
        if "error" in r or "median" not in r:
            continue
        f = 1e9 / r["units"]
        val = (r["median"] * f, None, r["min"] * f, r["max"] * f)
        key = {"switch": ("w2", r.get("param")), "chain": ("w3", r.get("param")),
               "spawn_await": ("w4", "spawnAwait"), "gather": ("w4", "gather"),
               "queue": ("w7", r.get("param"))}[mode]
        rows.setdefault(key, {})[r["peer"]] = val
    return mem


def fmt(x, digits=1):
    if x is None:
        return "-"
    if x >= 1000:
        return "{:,.0f}".format(x)
    if x >= 100:
        return "%.0f" % x
    return ("%." + str(digits) + "f") % x


def table(title, unit, cells, order, note=None, divide=1.0):
    lines = ["#### " + title, ""]
    if note:
        lines += [note, ""]
    lines += ["| peer | %s | ± error (99.9%%) | min – max | ratio peer/Coro |" % unit, "|---|---:|---:|---:|---:|"]
    coro = cells.get("coro")
    for peer in order:
        if peer not in cells:
            continue
        v, e, lo, hi = cells[peer]
        v, lo, hi = v / divide, lo / divide, hi / divide
        e = None if e is None else e / divide
        ratio = "-" if coro is None or peer == "coro" else "%.2f" % (v / (coro[0] / divide))
        if peer == "coro":
            ratio = "1.00"
        src = " (median of runs)" if peer in ("asyncio", "node") else ""
        lines.append("| %s%s | %s | %s | %s – %s | %s |" % (PEER_NAMES.get(peer, peer), src, fmt(v), fmt(e),
                                                           fmt(lo), fmt(hi), ratio))
    if coro is None:
        lines.append("| Coro | not measured | | | |")
    return "\n".join(lines) + "\n"


ORDER = ["coro", "plainCall", "plainCallNotInlined", "kotlin", "virtualThread", "platformThread", "eaAsync", "completableFuture",
         "asyncio", "node"]


def report(out):
    m = json.load(open(os.path.join(out, "machine.json"))) if os.path.exists(os.path.join(out, "machine.json")) else {}
    rows = jmh_rows(out)
    mem = proc_rows(out, rows)
    md = ["# Results of %s" % os.path.basename(out), ""]
    md.append("Machine: %s, %s cores, %s RAM, kernel %s. Benchmarks JVM: %s. Default JDK: %s. %s, Node %s."
              % (m.get("cpu"), m.get("cores"), m.get("memory"), m.get("kernel"),
                 (m.get("java_bench") or "").replace("\n", " / "), (m.get("java_default") or "").replace("\n", " / "),
                 m.get("python"), m.get("node")))
    md.append("")
    md.append("Load average (1, 5, 15 min): start %s, after JMH %s, end %s. Run %s to %s; JMH took %s min."
              % (m.get("loadavg_start"), m.get("loadavg_after_jmh"), m.get("loadavg_end"), m.get("date"),
                 m.get("end"), m.get("jmh_minutes")))
    md.append("")
    md.append("JMH: `%s`" % m.get("jmh_command"))
    md.append("")
    md.append("JMH, a million tasks: `%s`" % m.get("jmh-million_command"))
    md.append("")
    md.append("### Workload 1: await of an already-completed awaitable\n")
    md.append(table("%d awaits per operation" % COMPLETED_AWAITS, "ns per await", rows.get(("w1", None), {}), ORDER))
    alloc = alloc_rows(out)
    if alloc:
        md.append("Allocation (JMH `-prof gc`, `gc.alloc.rate.norm` of one operation divided by %d; it includes "
                  "setting up the loop or thread once per operation): %s.\n"
                  % (COMPLETED_AWAITS, ", ".join("%s %.2f B per await" % (PEER_NAMES.get(p, p), v)
                                                 for p, v in sorted(alloc.items()))))
    md.append("### Workload 2: suspend + resume through the loop, N tasks round robin\n")
    for t in (1, 1000, 1_000_000):
        md.append(table("N = {:,} ({:,} yields per task)".format(t, yields_per_task(t)), "ns per switch",
                        rows.get(("w2", t), {}), ORDER))
    md.append("### Workload 3: await chain, the innermost suspending once\n")
    for d in (1, 10, 100):
        md.append(table("depth %d (%d chains per operation; the figure is per chain, per level = figure / %d)"
                        % (d, CHAINS, d), "ns per chain", rows.get(("w3", d), {}), ORDER))
    md.append("### Workload 4: spawn + run + complete\n")
    md.append(table("spawn and await, one task after the other (%d tasks)" % SPAWNS, "ns per task",
                    rows.get(("w4", "spawnAwait"), {}), ORDER))
    md.append(table("gather over %d tasks spawned at once" % SPAWNS, "ns per task",
                    rows.get(("w4", "gather"), {}), ORDER))
    md.append("### Workload 7: producer/consumer through a bounded queue\n")
    for c in (1, 64):
        md.append(table("capacity %d (%d items)" % (c, ITEMS), "ns per item", rows.get(("w7", c), {}), ORDER))
    md.append("### Workload 5: heap per task suspended in sleep()\n")
    md.append("| peer | tasks | bytes per task | ratio peer/Coro | how measured |")
    md.append("|---|---:|---:|---:|---|")
    heap = {r["peer"]: r for r in mem if r["mode"] == "heap"}
    coro_b = heap.get("coro", {}).get("bytesPerTask")
    for peer in ORDER:
        r = heap.get(peer)
        if not r:
            continue
        if "error" in r:
            md.append("| %s | | failed: %s | | |" % (PEER_NAMES[peer], r["error"]))
            continue
        b = r["bytesPerTask"]
        ratio = "-" if not coro_b else "%.2f" % (b / coro_b)
        how = r.get("measure", "JVM heap used after full GCs, growth")
        md.append("| %s | {:,} | %.0f | %s | %s |".format(r["tasks"]) % (PEER_NAMES[peer], b, ratio, how))
    md.append("")
    md.append("### Workload 6: tasks each sleeping 1 s, all at once\n")
    md.append("| peer | tasks | wall (s) | ratio peer/Coro | peak heap (MB) | GCs (ms) | whole process (s) |")
    md.append("|---|---:|---:|---:|---:|---:|---:|")
    wall = {r["peer"]: r for r in mem if r["mode"] == "wall"}
    coro_w = wall.get("coro", {}).get("wallSeconds")
    for peer in ORDER:
        r = wall.get(peer)
        if not r:
            continue
        if "error" in r:
            md.append("| %s | | failed: %s | | | | |" % (PEER_NAMES[peer], r["error"]))
            continue
        ratio = "-" if not coro_w else "%.2f" % (r["wallSeconds"] / coro_w)
        peak = r.get("peakHeapMB") or r.get("peakRssMB")
        peak_s = "%.0f%s" % (peak, "" if "peakHeapMB" in r else " (max RSS)")
        gcs = "%s (%s)" % (r.get("gcCount"), r.get("gcMillis")) if "gcCount" in r else "-"
        md.append("| %s | {:,} | %.3f | %s | %s | %s | %.2f |".format(r["tasks"])
                  % (PEER_NAMES[peer], r["wallSeconds"], ratio, peak_s, gcs, r["processWallSeconds"]))
    md.append("")
    md.append(targets(rows, alloc, heap, wall))
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(md))
    print("wrote", os.path.join(out, "results.md"))


def targets(rows, alloc, heap, wall):
    """The DESIGN section 5 targets, met or missed, from this run's figures."""
    def cell(key, peer="coro"):
        v = rows.get(key, {}).get(peer)
        return None if v is None else v[0]

    lines = ["### DESIGN section 5 targets\n", "| target | measured | met? |", "|---|---|---|"]

    def line(what, measured, ok):
        verdict = "not measured" if ok is None else ("met" if ok else "**missed**")
        lines.append("| %s | %s | %s |" % (what, measured, verdict))

    c, p = cell(("w1", None)), cell(("w1", None), "plainCall")
    a = alloc.get("coro")
    if c is not None and p is not None:
        line("await of a completed awaitable: <= 2 ns over a plain call", "%.1f ns vs %.1f ns: %+.1f ns" % (c, p, c - p),
             c - p <= 2)
    else:
        line("await of a completed awaitable: <= 2 ns over a plain call", "-", None)
    line("... and no allocation", "-" if a is None else "%.2f B per await (loop set-up included)" % a,
         None if a is None else a < 1)
    for n, limit in ((1000, 20), (1_000_000, 50)):
        v = cell(("w2", n))
        line("switch, {:,} tasks round robin: <= {} ns".format(n, limit), "-" if v is None else "%.0f ns" % v,
             None if v is None else v <= limit)
    g, sa = cell(("w4", "gather")), cell(("w4", "spawnAwait"))
    line("spawn + run + complete a task: <= 100 ns (gather of 10,000)", "-" if g is None else "%.0f ns" % g,
         None if g is None else g <= 100)
    line("... spawned and awaited one at a time", "-" if sa is None else "%.0f ns" % sa,
         None if sa is None else sa <= 100)
    h = heap.get("coro", {}).get("bytesPerTask")
    line("heap per task sleeping in sleep(): <= 150 bytes", "-" if h is None else "%.0f B" % h,
         None if h is None else h <= 150)
    w = wall.get("coro", {})
    if "wallSeconds" in w:
        line("1,000,000 tasks sleep(1 s) at once: <= 1.3 s wall", "%.3f s (%s tasks)" % (w["wallSeconds"], w["tasks"]),
             w["wallSeconds"] <= 1.3 if w["tasks"] == 1_000_000 else None)
        line("... <= 300 MB heap", "%.0f MB peak" % w["peakHeapMB"],
             w["peakHeapMB"] <= 300 if w["tasks"] == 1_000_000 else None)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "run":
        run("--quick" in sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        print(__doc__)
        sys.exit(2)
