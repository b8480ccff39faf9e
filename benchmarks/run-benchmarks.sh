#!/usr/bin/env bash
# Runs the whole comparison of docs/benchmarks.md: builds the module, runs the JMH benchmarks
# (workloads 1-4 and 7) on JDK 21+ (Temurin 25 by default: the virtual-thread peers need it),
# workloads 5 and 6 in their own JVMs, the CPython asyncio and Node peers as processes, and writes
# target/results/<time>/results.md (tables with ratios) next to the raw results.
#
#   benchmarks/run-benchmarks.sh            # the full comparison, about 20-25 minutes on 2 cores
#   benchmarks/run-benchmarks.sh --quick    # every measurement once, tiny settings (a few minutes)
#
# Environment: JAVA_BENCH (JDK that runs the benchmarks, default Temurin 25), PYTHON (CPython 3.13),
# NODE (Node 20), SKIP_BUILD=1 to reuse target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-$HOME/.pyenv/versions/3.13.0/bin/python3}
if [[ ! -x "$PYTHON" ]]; then
  echo "CPython 3.13 not found at $PYTHON: set PYTHON=/path/to/python3.13" >&2
  exit 2
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd .. && mvn -B -q -pl benchmarks -am package -DskipTests)
fi
exec "$PYTHON" scripts/bench.py run "$@"
