#!/usr/bin/env bash
# Same-JVM paired A/B of this checkout against an earlier commit, for the "no regression" check
# of the loop workloads (see dev.coro.bench.PairedAb and docs/benchmarks.md):
#
#   benchmarks/paired-ab.sh c4fc8b0                 # w2 and w4, 5 JVMs each (about 10 minutes)
#   JVMS=8 benchmarks/paired-ab.sh c4fc8b0 w1 w3-10  # other workloads, more JVMs
#
# It builds the benchmark jar of BASE in a temporary git worktree and the jar of this checkout
# (SKIP_BUILD=1 reuses target/benchmarks.jar), then runs JVMS JVMs per workload, each with both
# builds in their own class loaders taking turns in 200 ms slices. Each line is one JVM: the
# builds' median times and this checkout's median ratio to BASE (>1 = slower), with quartiles.
# Run it alone on the machine. Environment: JAVA_BENCH (default Temurin 25), JVMS, ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:?usage: benchmarks/paired-ab.sh BASE_COMMIT [w1|w2|w2-1000|w3-10|w4|w4-gather ...]}
shift
WORKLOADS=("$@")
[[ ${#WORKLOADS[@]} -gt 0 ]] || WORKLOADS=(w2 w4)
JAVA_BENCH=${JAVA_BENCH:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JVMS=${JVMS:-5}
ROUNDS=${ROUNDS:-30}
OUT=$(mktemp -d /tmp/coro-paired-ab.XXXXXX)
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
cp benchmarks/target/benchmarks.jar "$OUT/head.jar"
git worktree add -f --detach "$OUT/base" "$BASE" >/dev/null
trap 'git worktree remove --force "$OUT/base" >/dev/null 2>&1 || true' EXIT
(cd "$OUT/base" && mvn -B -q -pl benchmarks -am package -DskipTests)
cp "$OUT/base/benchmarks/target/benchmarks.jar" "$OUT/base.jar"
echo "base $(git rev-parse --short "$BASE") = jar0, this checkout $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes') = jar1"
for w in "${WORKLOADS[@]}"; do
  for i in $(seq 1 "$JVMS"); do
    "$JAVA_BENCH" -cp "$OUT/head.jar" dev.coro.bench.PairedAb "$w" "$ROUNDS" "$OUT/base.jar" "$OUT/head.jar"
  done
done
