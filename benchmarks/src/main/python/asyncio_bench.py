"""CPython asyncio peer of the Coro benchmarks (workloads 2, 3, 4, 5, 6, 7).

Run one workload per process (run-benchmarks.sh times the whole process as well):

    python3 asyncio_bench.py switch TASKS          # workload 2
    python3 asyncio_bench.py chain DEPTH           # workload 3
    python3 asyncio_bench.py spawn_await           # workload 4a
    python3 asyncio_bench.py gather                # workload 4b
    python3 asyncio_bench.py heap TASKS            # workload 5
    python3 asyncio_bench.py wall TASKS            # workload 6
    python3 asyncio_bench.py queue CAPACITY        # workload 7

Sizes match dev.coro.bench.Sizes. Timed workloads run one warm-up operation and then REPEATS
operations (a million tasks: one operation, no warm-up: one takes about a minute), and print one JSON line with the per-operation times in seconds (min, median, max).
"""
import asyncio
import gc
import json
import os
import statistics
import sys
import time

CHAINS = 1_000
SPAWNS = 10_000
ITEMS = 100_000
REPEATS = 3


def yields_per_task(tasks):
    return max(5, 1_000_000 // tasks)


async def switch(tasks):
    k = yields_per_task(tasks)
    count = 0

    async def task():
        nonlocal count
        for _ in range(k):
            await asyncio.sleep(0)
            count += 1

    await asyncio.gather(*[task() for _ in range(tasks)])
    assert count == tasks * k, count


async def chain_of(depth):
    if depth == 0:
        await asyncio.sleep(0)
        return 0
    return await chain_of(depth - 1) + 1


async def chain(depth):
    s = 0
    for _ in range(CHAINS):
        s += await chain_of(depth)
    assert s == CHAINS * depth


async def one():
    return 1


async def spawn_await():
    s = 0
    for _ in range(SPAWNS):
        s += await asyncio.create_task(one())
    assert s == SPAWNS


async def gather():
    results = await asyncio.gather(*[asyncio.create_task(one()) for _ in range(SPAWNS)])
    assert sum(results) == SPAWNS


async def queue(capacity):
    q = asyncio.Queue(maxsize=capacity)

    async def producer():
        for i in range(ITEMS):
            await q.put(i)

    p = asyncio.create_task(producer())
    s = 0
    for _ in range(ITEMS):
        s += await q.get()
    await p
    assert s == ITEMS * (ITEMS - 1) // 2


def timed(name, param, unit_count, make, repeats=REPEATS, warmup=True):
    if warmup:
        asyncio.run(make())

    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        asyncio.run(make())
        times.append(time.perf_counter() - t0)
    print(json.dumps({"workload": name, "param": param, "units": unit_count,
                      "min": min(times), "median": statistics.median(times), "max": max(times),
                      "python": sys.version.split()[0]}))


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def sleeper(seconds):
    await asyncio.sleep(seconds)


async def sleepers(n, seconds, probe):
    tasks = [asyncio.create_task(sleeper(seconds)) for _ in range(n)]
    await asyncio.sleep(0)                  # every task has started and sleeps
    probe()
    await asyncio.gather(*tasks)


def heap(n):
    asyncio.run(sleepers(1000, 0.001, lambda: None))
    gc.collect()
    before = rss_bytes()
    out = {}

    def probe():
        gc.collect()
        after = rss_bytes()
        out.update(workload="heapPerTask", tasks=n, baselineBytes=before, afterBytes=after,
                   bytesPerTask=(after - before) / n, measure="RSS growth",
                   python=sys.version.split()[0])
        print(json.dumps(out), flush=True)
        os._exit(0)

    asyncio.run(sleepers(n, 3600, probe))


def wall(n):
    t0 = time.perf_counter()
    asyncio.run(sleepers(n, 1.0, lambda: None))
    wall_s = time.perf_counter() - t0
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"workload": "sleepAtOnce", "tasks": n, "wallSeconds": wall_s,
                      "peakRssMB": peak / 1048576, "python": sys.version.split()[0]}))


def main(argv):
    what = argv[1]
    arg = int(argv[2]) if len(argv) > 2 else None
    if what == "switch":
        timed("switch", arg, arg * yields_per_task(arg), lambda: switch(arg),
              repeats=REPEATS if arg < 1_000_000 else 1, warmup=arg < 1_000_000)
    elif what == "chain":
        timed("chain", arg, CHAINS, lambda: chain(arg))
    elif what == "spawn_await":
        timed("spawnAwait", None, SPAWNS, spawn_await)
    elif what == "gather":
        timed("gather", None, SPAWNS, gather)
    elif what == "queue":
        timed("queue", arg, ITEMS, lambda: queue(arg))
    elif what == "heap":
        heap(arg)
    elif what == "wall":
        wall(arg)
    else:
        raise SystemExit("unknown workload " + what)


if __name__ == "__main__":
    main(sys.argv)
