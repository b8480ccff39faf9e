// Node async/await peer of the Coro benchmarks, where the workload maps (2, 3, 4, 5, 6).
//
//   node async_bench.mjs switch TASKS      workload 2 (a yield is `await new Promise(setImmediate)`,
//                                          one turn of the event loop, like asyncio.sleep(0))
//   node async_bench.mjs chain DEPTH       workload 3
//   node async_bench.mjs spawn_await       workload 4a (a "task" is a call of an async function)
//   node async_bench.mjs gather            workload 4b (Promise.all)
//   node --expose-gc async_bench.mjs heap TASKS   workload 5 (heapUsed growth after gc())
//   node async_bench.mjs wall TASKS        workload 6 (setTimeout promises)
//
// Sizes match dev.coro.bench.Sizes. Timed workloads run one warm-up operation and then REPEATS
// operations (a million tasks: one operation, no warm-up), and print one JSON line with the per-operation times in seconds (min, median, max).
import { performance } from 'node:perf_hooks';

const CHAINS = 1_000, SPAWNS = 10_000, REPEATS = 3;
const yieldsPerTask = (tasks) => Math.max(5, Math.floor(1_000_000 / tasks));
const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function switches(tasks) {
  const k = yieldsPerTask(tasks);
  let count = 0;
  const task = async () => { for (let i = 0; i < k; i++) { await turn(); count++; } };
  const all = [];
  for (let t = 0; t < tasks; t++) all.push(task());
  await Promise.all(all);
  if (count !== tasks * k) throw new Error(`count ${count}`);
}

async function chainOf(depth) {
  if (depth === 0) { await turn(); return 0; }
  return (await chainOf(depth - 1)) + 1;
}

async function chain(depth) {
  let s = 0;
  for (let r = 0; r < CHAINS; r++) s += await chainOf(depth);
  if (s !== CHAINS * depth) throw new Error(`sum ${s}`);
}

async function one() { return 1; }

async function spawnAwait() {
  let s = 0;
  for (let i = 0; i < SPAWNS; i++) s += await one();
  if (s !== SPAWNS) throw new Error(`sum ${s}`);
}

async function gather() {
  const all = [];
  for (let i = 0; i < SPAWNS; i++) all.push(one());
  const results = await Promise.all(all);
  if (results.reduce((a, b) => a + b, 0) !== SPAWNS) throw new Error('sum');
}

async function timed(workload, param, units, make, repeats = REPEATS, warmup = true) {
  if (warmup) await make();
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await make();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ workload, param, units, min: times[0],
    median: times[Math.floor(times.length / 2)], max: times[times.length - 1], node: process.version }));
}

async function sleepers(n, ms, probe) {
  const all = new Array(n);
  const sleeper = async () => { await sleep(ms); };
  for (let i = 0; i < n; i++) all[i] = sleeper();
  probe();
  await Promise.all(all);
}

async function heap(n) {
  await sleepers(1000, 1, () => {});
  global.gc(); global.gc();
  const before = process.memoryUsage().heapUsed;
  await sleepers(n, 3_600_000, () => {
    global.gc(); global.gc();
    const after = process.memoryUsage().heapUsed;
    console.log(JSON.stringify({ workload: 'heapPerTask', tasks: n, baselineBytes: before, afterBytes: after,
      bytesPerTask: (after - before) / n, measure: 'heapUsed growth', node: process.version }));
    process.exit(0);
  });
}

async function wall(n) {
  const t0 = performance.now();
  await sleepers(n, 1000, () => {});
  const wallSeconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ workload: 'sleepAtOnce', tasks: n, wallSeconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024, node: process.version }));
}

const [what, argText] = process.argv.slice(2);
const arg = argText === undefined ? undefined : Number(argText);
switch (what) {
  case 'switch': await timed('switch', arg, arg * yieldsPerTask(arg), () => switches(arg), arg < 1_000_000 ? REPEATS : 1, arg < 1_000_000); break;
  case 'chain': await timed('chain', arg, CHAINS, () => chain(arg)); break;
  case 'spawn_await': await timed('spawnAwait', null, SPAWNS, spawnAwait); break;
  case 'gather': await timed('gather', null, SPAWNS, gather); break;
  case 'heap': await heap(arg); break;
  case 'wall': await wall(arg); break;
  default: throw new Error(`unknown workload ${what}`);
}
