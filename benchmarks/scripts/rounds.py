#!/usr/bin/env python3
"""Interleaved rounds: the ratio checks of the I/O benchmarks, made robust to a drifting machine.

run-io-benchmarks.sh measures one server after the other; on a shared VM the machine's speed can
move by 1.5x between two servers' slots, and a ratio of two slots then measures the machine. Here
every server runs at once (all pinned to CPU 0, each idle but for its turn) and the load generator
(pinned to CPU 1) visits them in turn, round after round, so that a drift hits all of them alike.

    python3 benchmarks/scripts/rounds.py http  [--rounds 4] [--seconds 10]   # wrk -t1 -c64, 4 servers
    python3 benchmarks/scripts/rounds.py redis [--rounds 3] [--requests 300000]   # SET/GET, no pipelining
    python3 benchmarks/scripts/rounds.py echo  [--rounds 3] [--seconds 10]    # 100 connections, 32-byte lines

It uses benchmarks/target/benchmarks.jar and examples/target/coro-examples.jar (build them first, or
run run-io-benchmarks.sh once) and needs wrk, redis-server and redis-tools. Prints one line per run
and a summary of the per-round ratios.
"""
import argparse, json, subprocess, sys
from pathlib import Path

from iobench import (BENCH_JAR, CLIENT_CPU, ECHO_PY, EXAMPLES_JAR, JAVA, JVM_FLAGS as FLAGS, PYTHON313,
                     SERVER_CPU, SYSTEM_PYTHON, cpu_seconds, parse_redis_csv, parse_wrk, uvloop_available,
                     wait_for_port)

EXAMPLES = str(EXAMPLES_JAR)
BENCH = str(BENCH_JAR)


def start(servers):
    procs = {}
    for name, (port, command) in servers.items():
        procs[name] = subprocess.Popen(["taskset", "-c", SERVER_CPU] + command, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
    try:
        for name, (port, _) in servers.items():
            wait_for_port(port, procs[name], timeout=30)
    except RuntimeError as e:
        stop(procs)
        raise SystemExit(f"a server did not start: {e}")
    return procs


def stop(procs):
    for p in procs.values():
        p.kill()


def print_ratios(base, rates):
    """Prints base's rate divided by each server's, round by round."""
    for name, values in rates.items():
        ratios = [a / b for a, b in zip(rates[base], values)]
        print(f"{base} / {name:14s} per round: " + ", ".join(f"{x:.2f}" for x in ratios))


def wrk(port, seconds):
    out = subprocess.run(["taskset", "-c", CLIENT_CPU, "wrk", "-t1", "-c64", f"-d{seconds}s", "--latency",
                          f"http://127.0.0.1:{port}/"], capture_output=True, text=True).stdout
    run = parse_wrk(out)
    return run["rps"], run["requests"], run["p50_us"] / 1e3, run["p99_us"] / 1e3


def http(args):
    servers = {
        "coro-protocol": (18190, [JAVA] + FLAGS + ["-jar", EXAMPLES, "http-protocol", "--port", "18190"]),
        "coro-streams": (18191, [JAVA] + FLAGS + ["-jar", EXAMPLES, "http-streams", "--port", "18191"]),
        "netty-epoll": (18192, [JAVA] + FLAGS + ["-cp", BENCH, "dev.coro.bench.io.IoBench", "netty-epoll", "--port", "18192"]),
        "nio-loop": (18193, [JAVA] + FLAGS + ["-cp", BENCH, "dev.coro.bench.io.IoBench", "nio-loop", "--port", "18193"]),
    }
    procs = start(servers)
    rates = {name: [] for name in servers}
    try:
        for name, (port, _) in servers.items():
            wrk(port, 10)  # warm-up, not measured
        for r in range(1, args.rounds + 1):
            for name, (port, _) in servers.items():
                u0, s0 = cpu_seconds(procs[name].pid)
                rps, total, p50, p99 = wrk(port, args.seconds)
                u1, s1 = cpu_seconds(procs[name].pid)
                rates[name].append(rps)
                print(f"round {r} {name:14s} {rps:>10,.0f} req/s  p50 {p50:.3f} ms  p99 {p99:.2f} ms  "
                      f"user {(u1 - u0) * 1e6 / total:.2f}  sys {(s1 - s0) * 1e6 / total:.2f} us/req", flush=True)
    finally:
        stop(procs)
    print_ratios("coro-protocol", rates)


def redis(args):
    servers = {
        "redis-server": (16390, ["redis-server", "--port", "16390", "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--protected-mode", "no"]),
        "mini-redis": (16391, [JAVA] + FLAGS + ["-jar", EXAMPLES, "mini-redis", "--port", "16391"]),
    }
    procs = start(servers)
    rates = {name: {"SET": [], "GET": []} for name in servers}
    try:
        for name, (port, _) in servers.items():
            subprocess.run(["taskset", "-c", CLIENT_CPU, "redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-c", "50",
                            "-q", "-t", "set,get", "-n", "200000"], capture_output=True)  # warm-up
        for r in range(1, args.rounds + 1):
            for name, (port, _) in servers.items():
                out = subprocess.run(["taskset", "-c", CLIENT_CPU, "redis-benchmark", "-h", "127.0.0.1", "-p", str(port),
                                      "-c", "50", "--csv", "-t", "set,get", "-n", str(args.requests)],
                                     capture_output=True, text=True).stdout
                for test in ("SET", "GET"):
                    rates[name][test].append(parse_redis_csv(out, test.lower())[0])
                print(f"round {r} {name:12s} SET {rates[name]['SET'][-1]:>10,.0f}  GET {rates[name]['GET'][-1]:>10,.0f} ops/s",
                      flush=True)
    finally:
        stop(procs)
    for test in ("SET", "GET"):
        ratios = [a / b for a, b in zip(rates["mini-redis"][test], rates["redis-server"][test])]
        print(f"mini-redis / redis-server {test} per round: " + ", ".join(f"{x:.2f}" for x in ratios))


def echo(args):
    servers = {
        "coro": (18290, [JAVA] + FLAGS + ["-jar", EXAMPLES, "echo", "--port", "18290"]),
        "asyncio": (18291, [PYTHON313, str(ECHO_PY), "--port", "18291"]),
        "nio-echo": (18292, [JAVA] + FLAGS + ["-cp", BENCH, "dev.coro.bench.io.IoBench", "nio-echo", "--port", "18292"]),
    }
    if uvloop_available():
        servers["uvloop"] = (18293, [SYSTEM_PYTHON, str(ECHO_PY), "--port", "18293", "--uvloop"])
    procs = start(servers)

    def load(port, seconds, warmup):
        out = subprocess.run(["taskset", "-c", CLIENT_CPU, JAVA, "-cp", BENCH, "dev.coro.bench.io.IoBench", "echo-load",
                              "--port", str(port), "--connections", "100", "--seconds", str(seconds),
                              "--warmup", str(warmup), "--size", "32"], capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])

    rates = {name: [] for name in servers}
    try:
        for name, (port, _) in servers.items():
            load(port, 5, 0)  # the server's warm-up, not measured
        for r in range(1, args.rounds + 1):
            for name, (port, _) in servers.items():
                u0, s0 = cpu_seconds(procs[name].pid)
                run = load(port, args.seconds, 2)
                u1, s1 = cpu_seconds(procs[name].pid)
                trips = max(run["totalRoundTrips"], 1)
                rates[name].append(run["perSecond"])
                print(f"round {r} {name:9s} {run['perSecond']:>10,.0f} round trips/s  user {(u1 - u0) * 1e6 / trips:.2f}  "
                      f"sys {(s1 - s0) * 1e6 / trips:.2f} us/rt  (load generator CPU {run.get('clientCpuBusy', 0):.0%})",
                      flush=True)
    finally:
        stop(procs)
    print_ratios("coro", rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["http", "redis", "echo"])
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=10, help="http, echo: seconds per measured run")
    parser.add_argument("--requests", type=int, default=300000, help="redis: requests per redis-benchmark test")
    args = parser.parse_args()
    for jar in (EXAMPLES, BENCH):
        if not Path(jar).exists():
            sys.exit(f"{jar} is missing: build first (mvn -B -DskipTests package, or benchmarks/run-io-benchmarks.sh)")
    if args.what == "http":
        args.rounds = args.rounds or 4
        http(args)
    elif args.what == "redis":
        args.rounds = args.rounds or 3
        redis(args)
    else:
        args.rounds = args.rounds or 3
        echo(args)


if __name__ == "__main__":
    main()
