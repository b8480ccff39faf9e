#!/usr/bin/env python3
"""The I/O comparison of issue 9 (docs/benchmarks.md, "I/O benchmarks"), driven by
benchmarks/run-io-benchmarks.sh, which installs wrk / redis-server / redis-tools and builds first.

    python3 benchmarks/scripts/iobench.py run [--quick] [--only http,redis,echo,tls] [--servers a,b]
    python3 benchmarks/scripts/iobench.py report benchmarks/target/io-results/<time>

Every server runs alone, pinned to one core (SERVER_CPU, default 0), its load generator on the
other (CLIENT_CPU, default 1). The server's CPU time is read from /proc/PID/stat (utime, stime of
the whole process: every thread, GC and JIT included) before and after each measured run; the
delta divided by the requests (ops, round trips) of that run is its CPU per request.
Writes results.json (raw), results.md (tables with ratios), machine.txt and each tool's output
under benchmarks/target/io-results/<time>/.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent  # benchmarks/
ROOT = BENCH.parent
JAVA = os.environ.get("JAVA_BENCH", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
BENCH_JAR = BENCH / "target" / "benchmarks.jar"
EXAMPLES_JAR = ROOT / "examples" / "target" / "coro-examples.jar"
PYTHON313 = os.environ.get("PYTHON", str(Path.home() / ".pyenv/versions/3.13.0/bin/python3"))
SYSTEM_PYTHON = os.environ.get("UVLOOP_PYTHON", "/usr/bin/python3")  # Debian's, with python3-uvloop
SERVER_CPU = os.environ.get("SERVER_CPU", "0")
CLIENT_CPU = os.environ.get("CLIENT_CPU", "1")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PIPELINE_LUA = BENCH / "src" / "main" / "wrk" / "pipeline.lua"
ECHO_PY = BENCH / "src" / "main" / "python" / "echo_server.py"
# JVM servers: the same flags for all. Netty loads its epoll library: allow it without a warning.
JVM_FLAGS = ["--enable-native-access=ALL-UNNAMED"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {timeout} s")


def cpu_seconds(pid):
    """(user, system) seconds of the whole process so far, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK  # fields 14 and 15 of proc(5)


def pinned(cpu, command):
    return ["taskset", "-c", cpu] + command


class Server:
    """A server process, started pinned; stopped (TERM, then KILL) on exit."""

    def __init__(self, name, command, out_dir):
        self.name, self.command = name, command
        self.port = free_port()
        self.log_path = out_dir / f"server-{name}.log"

    def __enter__(self):
        command = [c.replace("{port}", str(self.port)) for c in self.command]
        self.log = open(self.log_path, "w")
        self.log.write("$ " + " ".join(pinned(SERVER_CPU, command)) + "\n")
        self.log.flush()
        # taskset execs the server: this PID is the server's own
        self.process = subprocess.Popen(pinned(SERVER_CPU, command), stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        wait_for_port(self.port, self.process)
        return self

    def cpu(self):
        return cpu_seconds(self.process.pid)

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        time.sleep(1)  # let the sockets of this run go before the next server


def measured(server, command, out_file, timeout):
    """Runs a load generator pinned to the client core; returns (stdout, server user s, server system s,
    wall s, client busy) where client busy is the load generator's own CPU seconds per wall second (from
    wait4's rusage: taskset execs the tool, so the child is the tool itself); near 1.0 the client is the limit."""
    user0, sys0 = server.cpu()
    t0 = time.time()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(pinned(CLIENT_CPU, command), stdout=out, stderr=err, text=True)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.time() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.time() - t0
        user1, sys1 = server.cpu()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    busy = (usage.ru_utime + usage.ru_stime) / wall
    out_file.write_text("$ " + " ".join(command) + "\n" + stdout + stderr
                        + f"(load generator CPU: {usage.ru_utime:.2f} s user, {usage.ru_stime:.2f} s system in {wall:.2f} s)\n")
    if process.returncode != 0:
        raise RuntimeError(f"{command[0]} exited with {process.returncode}: {stderr.strip()[-500:]}")
    return stdout, user1 - user0, sys1 - sys0, wall, busy


# ---------------------------------------------------------------------------------------------- HTTP

def http_servers():
    jar = ["-jar", str(EXAMPLES_JAR)]
    bench = ["-cp", str(BENCH_JAR), "dev.coro.bench.io.IoBench"]
    return [
        ("coro-protocol", "Coro, Protocol (http-protocol)", [JAVA] + JVM_FLAGS + jar + ["http-protocol", "--port", "{port}"]),
        ("coro-streams", "Coro, streams (http-streams)", [JAVA] + JVM_FLAGS + jar + ["http-streams", "--port", "{port}"]),
        ("netty-epoll", "Netty 4.2, 1 loop, epoll", [JAVA] + JVM_FLAGS + bench + ["netty-epoll", "--port", "{port}"]),
        ("netty-nio", "Netty 4.2, 1 loop, NIO", [JAVA] + JVM_FLAGS + bench + ["netty-nio", "--port", "{port}"]),
        ("nio-loop", "hand-written NIO loop (floor)", [JAVA] + JVM_FLAGS + bench + ["nio-loop", "--port", "{port}"]),
        ("jdk-httpserver", "JDK HttpServer, virtual threads", [JAVA] + JVM_FLAGS + bench + ["jdk-httpserver", "--port", "{port}"]),
    ]


def check_plaintext(port):
    """One GET on a fresh connection: a 200 with the body and the four TechEmpower headers."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        data = b""
        while b"Hello, World!" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    head = data.decode("latin-1").lower()
    missing = [h for h in ("server:", "date:", "content-type: text/plain", "content-length: 13") if h not in head]
    if not head.startswith("http/1.1 200") or "hello, world!" not in head or missing:
        raise RuntimeError(f"not a plaintext response (missing {missing}): {data[:300]!r}")


UNITS = {"us": 1.0, "ms": 1e3, "s": 1e6}


def to_us(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse_wrk(out):
    result = {"requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        # wrk prints 0.00us when too few responses were timed (a pipelined run of a slow server)
        result[f"p{pct}_us"] = (to_us(m.group(1)) or None) if m else None
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = sum(int(g) for g in errors.groups()) if errors else 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    return result


def http_scenarios(quick):
    d = "3s" if quick else "15s"
    return [
        ("c64", ["-c64", f"-d{d}"]),
        ("c256", ["-c256", f"-d{d}"]),
        ("pipelined", ["-c256", f"-d{d}", "-s", str(PIPELINE_LUA)]),
    ]


def run_http(out, quick, only_servers, results):
    warmup = "2s" if quick else "10s"
    for key, label, command in http_servers():
        if only_servers and key not in only_servers:
            continue
        if str(EXAMPLES_JAR) in command and not example_exists(command[command.index("-jar") + 2]):
            results["http"][key] = {"label": label, "skipped": "not in the examples jar"}
            continue
        print(f"[http] {label}", flush=True)
        entry = {"label": label, "command": " ".join(command), "runs": {}}
        results["http"][key] = entry
        try:
            with Server(key, command, out) as server:
                url = f"http://127.0.0.1:{server.port}/"
                check_plaintext(server.port)
                # warm-up: the JIT compiles the request path before anything is measured
                measured(server, ["wrk", "-t1", "-c64", f"-d{warmup}", url], out / f"http-{key}-warmup.txt", 600)
                for scenario, args in http_scenarios(quick):
                    # --timeout 8s as TechEmpower's runs: wrk's latency histogram ends at the timeout, and a
                    # pipelined batch of a slow server can take longer than wrk's default 2 s
                    command_line = ["wrk", "-t1"] + args + ["--timeout", "8s", "--latency", url] + (["--", "16"] if scenario == "pipelined" else [])
                    stdout, user, system, _, busy = measured(server, command_line, out / f"http-{key}-{scenario}.txt", 600)
                    run = parse_wrk(stdout)
                    run["client_cpu_busy"] = busy
                    run["user_us_per_req"] = user * 1e6 / max(run["requests"], 1)
                    run["sys_us_per_req"] = system * 1e6 / max(run["requests"], 1)
                    run["server_user_s"], run["server_sys_s"] = user, system
                    entry["runs"][scenario] = run
                    print(f"    {scenario:10} {run['rps']:>12,.0f} req/s  p50 {fmt_us(run['p50_us'])}  p99 {fmt_us(run['p99_us'])}  "
                          f"user {run['user_us_per_req']:.2f} us/req  sys {run['sys_us_per_req']:.2f} us/req  (wrk CPU {run['client_cpu_busy']:.0%})", flush=True)
        except Exception as e:  # one failing server does not stop the others
            entry["error"] = str(e)
            print(f"    FAILED: {e}", flush=True)


# --------------------------------------------------------------------------------------------- redis

def example_exists(name):
    listing = subprocess.run([JAVA, "-jar", str(EXAMPLES_JAR), "list"], capture_output=True, text=True).stdout
    return re.search(rf"^\s+{re.escape(name)}\s", listing, re.M) is not None


def run_redis(out, quick, only_servers, results):
    n = 50_000 if quick else 1_000_000
    servers = [
        ("redis-server", "redis-server " + redis_version(),
         ["redis-server", "--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
          "--protected-mode", "no"]),
        ("mini-redis", "Coro mini-redis", [JAVA] + JVM_FLAGS + ["-jar", str(EXAMPLES_JAR), "mini-redis", "--port", "{port}"]),
    ]
    for key, label, command in servers:
        if only_servers and key not in only_servers:
            continue
        if key == "mini-redis" and not example_exists("mini-redis"):
            results["redis"][key] = {"label": label, "skipped": "mini-redis is not in the examples jar"}
            print("[redis] mini-redis: not in the examples jar, skipped", flush=True)
            continue
        print(f"[redis] {label}", flush=True)
        entry = {"label": label, "command": " ".join(command), "runs": {}}
        results["redis"][key] = entry
        try:
            with Server(key, command, out) as server:
                base = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "-c", "50", "--csv"]
                measured(server, base + ["-t", "set,get", "-n", str(n // 5)], out / f"redis-{key}-warmup.txt", 600)
                for mode, extra in (("plain", []), ("P16", ["-P", "16"])):
                    for test in ("set", "get"):
                        stdout, user, system, _, busy = measured(server, base + ["-t", test, "-n", str(n)] + extra,
                                                                 out / f"redis-{key}-{mode}-{test}.txt", 1200)
                        rps, p50, p99 = parse_redis_csv(stdout, test)
                        run = {"ops": n, "rps": rps, "p50_ms": p50, "p99_ms": p99, "client_cpu_busy": busy, "user_us_per_op": user * 1e6 / n, "sys_us_per_op": system * 1e6 / n,
                               "server_user_s": user, "server_sys_s": system}
                        entry["runs"][f"{mode}-{test}"] = run
                        print(f"    {mode:5} {test}  {rps:>12,.0f} ops/s  user {run['user_us_per_op']:.2f} us/op  "
                              f"sys {run['sys_us_per_op']:.2f} us/op  (redis-benchmark CPU {busy:.0%})", flush=True)
        except Exception as e:
            entry["error"] = str(e)
            print(f"    FAILED: {e}", flush=True)


def redis_version():
    out = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"v=(\S+)", out)
    return m.group(1) if m else "?"


def parse_redis_csv(out, test):
    """(ops/s, p50 ms, p99 ms) from redis-benchmark --csv (columns test, rps, avg, min, p50, p95, p99, max)."""
    for line in out.splitlines():
        cells = [c.strip('"') for c in line.split(",")]
        if cells and cells[0].lower() == test:
            return float(cells[1]), float(cells[4]), float(cells[6])
    raise RuntimeError(f"no {test} line in redis-benchmark's output: {out[-300:]!r}")


# ---------------------------------------------------------------------------------------------- echo

def uvloop_available():
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uvloop"], capture_output=True).returncode == 0


def python_version(python):
    return subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                          text=True).stdout.strip()


def run_echo(out, quick, only_servers, results):
    seconds, warmup = (3, 1) if quick else (15, 5)
    servers = [
        ("coro", "Coro streams (echo example)", [JAVA] + JVM_FLAGS + ["-jar", str(EXAMPLES_JAR), "echo", "--port", "{port}"]),
        ("asyncio", f"CPython {python_version(PYTHON313)} asyncio streams", [PYTHON313, str(ECHO_PY), "--port", "{port}"]),
        # the floor: what this machine's system calls leave for any one-thread server (no framework)
        ("nio-echo", "hand-written NIO echo loop (floor)", [JAVA] + JVM_FLAGS + ["-cp", str(BENCH_JAR), "dev.coro.bench.io.IoBench",
                                                                                "nio-echo", "--port", "{port}"]),
    ]
    if uvloop_available():
        servers.append(("uvloop", f"CPython {python_version(SYSTEM_PYTHON)} + uvloop streams",
                        [SYSTEM_PYTHON, str(ECHO_PY), "--port", "{port}", "--uvloop"]))
    else:
        results["echo"]["uvloop"] = {"label": "uvloop", "skipped": f"uvloop does not import in {SYSTEM_PYTHON}"}
    for key, label, command in servers:
        if only_servers and key not in only_servers:
            continue
        print(f"[echo] {label}", flush=True)
        entry = {"label": label, "command": " ".join(command), "runs": {}}
        results["echo"][key] = entry
        try:
            with Server(key, command, out) as server:
                def load(seconds_, warmup_):
                    return [JAVA, "-cp", str(BENCH_JAR), "dev.coro.bench.io.IoBench", "echo-load", "--port", str(server.port),
                            "--connections", "100", "--seconds", str(seconds_), "--warmup", str(warmup_), "--size", "32"]
                # the server's warm-up: a run of its own, not measured
                measured(server, load(warmup, 0), out / f"echo-{key}-warmup.txt", 600)
                # the measured run warms the load generator up first; the server's CPU over the whole
                # process is divided by all its round trips (totalRoundTrips)
                stdout, user, system, _, _ = measured(server, load(seconds, 2 if quick else 3), out / f"echo-{key}-c100.txt", 600)
                run = json.loads(stdout.strip().splitlines()[-1])
                trips = max(run["totalRoundTrips"], 1)
                run.update({"rps": run["perSecond"], "user_us_per_rt": user * 1e6 / trips, "sys_us_per_rt": system * 1e6 / trips,
                            "server_user_s": user, "server_sys_s": system})
                entry["runs"]["c100"] = run
                print(f"    {run['rps']:>12,.0f} round trips/s  user {run['user_us_per_rt']:.2f} us/rt  "
                      f"sys {run['sys_us_per_rt']:.2f} us/rt  (load generator CPU {run.get('clientCpuBusy', 0):.0%})", flush=True)
        except Exception as e:
            entry["error"] = str(e)
            print(f"    FAILED: {e}", flush=True)


# ----------------------------------------------------------------------------------------------- TLS

def make_keystore(out):
    """One certificate for every TLS peer: an EC P-256 key for 127.0.0.1 in a PKCS12 file, made with the
    benchmark JDK's keytool (the servers and the load generator read the same file)."""
    store = out / "tls-echo.p12"
    keytool = Path(JAVA).parent / "keytool"
    subprocess.run([str(keytool) if keytool.exists() else "keytool", "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                    "-validity", "30", "-keystore", str(store), "-storetype", "PKCS12", "-storepass", "changeit",
                    "-keypass", "changeit"], check=True, capture_output=True)
    return store


def run_tls(out, quick, only_servers, results):
    """TLS echo (issue 10): the echo benchmark's closed loop over TLS 1.3 (TLS_AES_128_GCM_SHA256), the JDK's
    SunJSSE on every side: Coro's SslProtocol vs Netty 4.2's SslHandler with SslProvider.JDK, one event loop each."""
    seconds, warmup = (3, 1) if quick else (15, 5)
    store = make_keystore(out)
    peer = [JAVA] + JVM_FLAGS + ["-cp", str(BENCH_JAR), "dev.coro.bench.io.IoBench"]
    servers = [
        ("coro-tls", "Coro streams + SslProtocol", peer + ["coro-tls-echo", "--port", "{port}", "--keystore", str(store)]),
        ("netty-tls-epoll", "Netty 4.2 SslHandler (JDK), epoll", peer + ["netty-tls-epoll", "--port", "{port}", "--keystore", str(store)]),
        ("netty-tls-nio", "Netty 4.2 SslHandler (JDK), NIO", peer + ["netty-tls-nio", "--port", "{port}", "--keystore", str(store)]),
    ]
    for key, label, command in servers:
        if only_servers and key not in only_servers:
            continue
        print(f"[tls] {label}", flush=True)
        entry = {"label": label, "command": " ".join(command), "runs": {}}
        results["tls"][key] = entry
        try:
            with Server(key, command, out) as server:
                def load(seconds_, warmup_):
                    return [JAVA, "-cp", str(BENCH_JAR), "dev.coro.bench.io.IoBench", "tls-echo-load", "--port", str(server.port),
                            "--keystore", str(store), "--connections", "100", "--seconds", str(seconds_),
                            "--warmup", str(warmup_), "--size", "32"]
                # the server's warm-up: a run of its own, not measured
                measured(server, load(warmup, 0), out / f"tls-{key}-warmup.txt", 600)
                # measured as the echo benchmark: the server's CPU over the whole load generator run (its 100
                # handshakes and warm-up included) divided by all its round trips (totalRoundTrips)
                stdout, user, system, _, _ = measured(server, load(seconds, 2 if quick else 3), out / f"tls-{key}-c100.txt", 600)
                run = json.loads(stdout.strip().splitlines()[-1])
                trips = max(run["totalRoundTrips"], 1)
                run.update({"rps": run["perSecond"], "user_us_per_rt": user * 1e6 / trips, "sys_us_per_rt": system * 1e6 / trips,
                            "server_user_s": user, "server_sys_s": system})
                entry["runs"]["c100"] = run
                print(f"    {run['rps']:>12,.0f} round trips/s  user {run['user_us_per_rt']:.2f} us/rt  "
                      f"sys {run['sys_us_per_rt']:.2f} us/rt  ({run.get('protocol')} {run.get('cipherSuite')}; "
                      f"load generator CPU {run.get('clientCpuBusy', 0):.0%})", flush=True)
        except Exception as e:
            entry["error"] = str(e)
            print(f"    FAILED: {e}", flush=True)


# ------------------------------------------------------------------------------------------- machine

def sh(command):
    try:
        r = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
        return (r.stdout + r.stderr).strip()
    except Exception as e:
        return f"({e})"


def machine():
    lscpu = sh("lscpu")
    model = re.search(r"Model name:\s*(.+)", lscpu)
    return {
        "cpu_model": model.group(1).strip() if model else "?",
        "cores": os.cpu_count(),
        "kernel": sh("uname -r"),
        "memory": sh("free -h | awk '/Mem:/{print $2}'"),
        "java_bench": sh(f"{JAVA} -version 2>&1 | head -2 | tr '\\n' ' '"),
        "java_default": sh("java -version 2>&1 | head -2 | tr '\\n' ' '"),
        "wrk": sh("wrk -v 2>&1 | head -1"),
        "redis": sh("redis-server --version"),
        "python_asyncio": sh(f"{PYTHON313} --version"),
        "python_uvloop": sh(f"{SYSTEM_PYTHON} -c 'import sys, uvloop; print(sys.version.split()[0], \"uvloop\", uvloop.__version__)'"),
        "pinning": f"server on CPU {SERVER_CPU}, load generator on CPU {CLIENT_CPU} (taskset -c)",
        "lscpu": lscpu,
    }


# -------------------------------------------------------------------------------------------- report

def ratio(value, base):
    return f"{value / base:.2f}×" if value and base else "–"


def num(value, fmt="{:,.0f}"):
    return fmt.format(value) if value is not None else "–"


def render(results):
    m = results["machine"]
    lines = [f"# I/O benchmarks, run {results['time']}", "",
             f"Command: `{results['command']}`" + (" (**quick mode: numbers only check the harness**)" if results["quick"] else ""),
             "", f"- Machine: {m['cpu_model']}, {m['cores']} cores, {m['memory']} RAM, Linux {m['kernel']}",
             f"- JVM for every Java server and load generator: {m['java_bench']}; default JDK: {m['java_default']}",
             f"- {m['wrk']}; {m['redis']}", f"- {m['python_asyncio']}; uvloop: {m['python_uvloop']}",
             f"- Pinning: {m['pinning']}", ""]
    http = results.get("http", {})
    if http:
        base_key = "coro-protocol"
        lines += ["## HTTP/1.1 plaintext (wrk -t1)", "",
                  "CPU per request: the server process's utime and stime delta over the run (every thread) / requests. "
                  "Ratio: this server's req/s ÷ Coro protocol's. wrk CPU: wrk's own CPU seconds per second of the run "
                  "(near 100 %: wrk -t1, not the server, sets the rate).", ""]
        for scenario, title in (("c64", "64 connections"), ("c256", "256 connections"), ("pipelined", "256 connections, 16-deep pipelining")):
            lines += [f"### {title}", "", "| server | req/s | ÷ Coro protocol | p50 | p99 | user µs/req | sys µs/req | errors | wrk CPU |",
                      "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
            base = http.get(base_key, {}).get("runs", {}).get(scenario, {}).get("rps")
            for key, entry in http.items():
                run = entry.get("runs", {}).get(scenario)
                if not run:
                    lines.append(f"| {entry['label']} | {entry.get('skipped') or entry.get('error', 'no result')} |||||||")
                    continue
                lines.append(f"| {entry['label']} | {num(run['rps'])} | {ratio(run['rps'], base)} | {fmt_us(run['p50_us'])} | "
                             f"{fmt_us(run['p99_us'])} | {run['user_us_per_req']:.2f} | {run['sys_us_per_req']:.2f} | "
                             f"{run['socket_errors'] + run['non_2xx']} | {run.get('client_cpu_busy', 0) * 100:.0f} % |")
            lines.append("")
    redis = results.get("redis", {})
    if redis:
        lines += ["## mini-redis vs redis-server (redis-benchmark -c 50)", "",
                  "Ratio: mini-redis ops/s ÷ redis-server's (target ≥ 0.8×). CPU per op: server utime/stime delta / ops.", "",
                  "| mode | test | redis-server ops/s | mini-redis ops/s | mini-redis ÷ redis | redis p50/p99 ms | mini-redis p50/p99 ms | redis user/sys µs/op | mini-redis user/sys µs/op |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        real, mini = redis.get("redis-server", {}).get("runs", {}), redis.get("mini-redis", {}).get("runs", {})
        for mode in ("plain", "P16"):
            for test in ("set", "get"):
                r, c = real.get(f"{mode}-{test}"), mini.get(f"{mode}-{test}")
                lines.append(f"| {'no pipelining' if mode == 'plain' else '-P 16'} | {test.upper()} | {num(r and r['rps'])} | "
                             f"{num(c and c['rps'])} | {ratio(c and c['rps'], r and r['rps'])} | {latency_pair(r)} | {latency_pair(c)} | "
                             f"{cpu_pair(r, 'op')} | {cpu_pair(c, 'op')} |")
        for key, entry in redis.items():
            if entry.get("skipped") or entry.get("error"):
                lines.append(f"\n{entry['label']}: {entry.get('skipped') or entry.get('error')}")
        lines.append("")
    echo = results.get("echo", {})
    if echo:
        base = echo.get("coro", {}).get("runs", {}).get("c100", {}).get("rps")
        lines += ["## Echo round trips, 100 connections, 32-byte lines", "",
                  "One load generator for all (IoBench echo-load: one NIO thread, one round trip in flight per connection). "
                  "Ratio: Coro ÷ this server (target ≥ 10× asyncio). Load generator CPU: its own CPU time per second "
                  "while measuring; near 100 % the client, not the server, sets the rate.", "",
                  "| server | round trips/s | Coro ÷ this | user µs/rt | sys µs/rt | load generator CPU |", "|---|---:|---:|---:|---:|---:|"]
        for key, entry in echo.items():
            run = entry.get("runs", {}).get("c100")
            if not run:
                lines.append(f"| {entry['label']} | {entry.get('skipped') or entry.get('error', 'no result')} |||||")
                continue
            lines.append(f"| {entry['label']} | {num(run['rps'])} | {ratio(base, run['rps'])} | {run['user_us_per_rt']:.2f} | "
                         f"{run['sys_us_per_rt']:.2f} | {run.get('clientCpuBusy', 0) * 100:.0f} % |")
        lines.append("")
    tls = results.get("tls", {})
    if tls:
        base = tls.get("coro-tls", {}).get("runs", {}).get("c100", {}).get("rps")
        suites = sorted({f"{e['runs']['c100'].get('protocol')} {e['runs']['c100'].get('cipherSuite')}"
                         for e in tls.values() if e.get("runs", {}).get("c100")})
        lines += ["## TLS echo round trips, 100 connections, 32-byte lines (issue 10)", "",
                  f"The echo benchmark over TLS ({', '.join(suites) or 'no run'}; the JDK's SunJSSE on every side, one "
                  "certificate): one load generator for all (IoBench tls-echo-load: one NIO thread, an SSLEngine per "
                  "connection, handshakes before the clock starts). Ratio: this server's round trips/s ÷ Coro's. CPU per "
                  "round trip: the server's utime/stime delta over the load generator's run / its round trips. Load "
                  "generator CPU: near 100 % the client, not the server, sets the rate.", "",
                  "| server | round trips/s | ÷ Coro | user µs/rt | sys µs/rt | load generator CPU |", "|---|---:|---:|---:|---:|---:|"]
        for key, entry in tls.items():
            run = entry.get("runs", {}).get("c100")
            if not run:
                lines.append(f"| {entry['label']} | {entry.get('skipped') or entry.get('error', 'no result')} |||||")
                continue
            lines.append(f"| {entry['label']} | {num(run['rps'])} | {ratio(run['rps'], base)} | {run['user_us_per_rt']:.2f} | "
                         f"{run['sys_us_per_rt']:.2f} | {run.get('clientCpuBusy', 0) * 100:.0f} % |")
        lines.append("")
    lines += ["Raw output: the `*.txt` files beside this one (one per tool run), `server-*.log`, `results.json`, `machine.txt`.", ""]
    return "\n".join(lines)


def fmt_us(us):
    if not us:
        return "–"
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def latency_pair(run):
    return f"{run['p50_ms']:.3f} / {run['p99_ms']:.3f}" if run and "p50_ms" in run else "–"


def cpu_pair(run, unit):
    return f"{run[f'user_us_per_{unit}']:.2f} / {run[f'sys_us_per_{unit}']:.2f}" if run else "–"


# ---------------------------------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run")
    run.add_argument("--quick", action="store_true", help="every measurement a few seconds: checks the harness")
    run.add_argument("--only", default="http,redis,echo,tls", help="comma-separated: http, redis, echo, tls")
    run.add_argument("--servers", default="", help="comma-separated server keys (e.g. coro-protocol,netty-epoll)")
    report = sub.add_parser("report")
    report.add_argument("dir")
    args = parser.parse_args()
    if args.action == "report":
        d = Path(args.dir)
        (d / "results.md").write_text(render(json.loads((d / "results.json").read_text())))
        print(d / "results.md")
        return
    only = set(args.only.split(","))
    unknown = only - {"http", "redis", "echo", "tls"}
    if unknown:
        sys.exit(f"--only {args.only}: unknown part(s) {sorted(unknown)}; the parts are http, redis, echo, tls")
    needed = ["taskset"] + (["wrk"] if "http" in only else []) + (["redis-benchmark", "redis-server"] if "redis" in only else [])
    for tool in needed:
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: run benchmarks/run-io-benchmarks.sh, which installs it")
    for jar in (BENCH_JAR, EXAMPLES_JAR):
        if not jar.exists():
            sys.exit(f"{jar} is missing: build it (benchmarks/run-io-benchmarks.sh does)")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = BENCH / "target" / "io-results" / stamp
    out.mkdir(parents=True)
    servers = set(filter(None, args.servers.split(",")))
    results = {"time": stamp, "quick": args.quick, "command": "benchmarks/run-io-benchmarks.sh " + " ".join(sys.argv[2:]),
               "machine": machine(), "http": {}, "redis": {}, "echo": {}, "tls": {}}
    (out / "machine.txt").write_text("\n".join(f"{k}: {v}" for k, v in results["machine"].items()) + "\n")
    print(f"results in {out}", flush=True)
    try:
        if "http" in only:
            run_http(out, args.quick, servers, results)
        if "redis" in only:
            run_redis(out, args.quick, servers, results)
        if "echo" in only:
            run_echo(out, args.quick, servers, results)
        if "tls" in only:
            run_tls(out, args.quick, servers, results)
    finally:
        (out / "results.json").write_text(json.dumps(results, indent=2))
        (out / "results.md").write_text(render(results))
    print(f"\n{out / 'results.md'}")


if __name__ == "__main__":
    main()
