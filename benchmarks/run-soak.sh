#!/usr/bin/env bash
# The soak of issue 9 (docs/benchmarks.md, "Soak"): a Coro streams echo server (IoBench soak-server)
# on CPU 0, and on CPU 1 a client with 100 connections doing echo round trips all the time plus
# 10,000 connect/one-round-trip/close cycles a minute (IoBench soak-client). Every --every seconds
# the server prints its open file descriptors (/proc/self/fd) and its heap used after System.gc();
# at the end the script prints that table again with the first and last rows compared.
# Both must stay flat.
#
#   benchmarks/run-soak.sh                  # 10 minutes
#   benchmarks/run-soak.sh --minutes 1      # a check
#   options: --minutes M (10), --every S (10: a table row every S seconds), --clients N (100),
#            --cycles-per-minute N (10000)
# Environment: JAVA_BENCH (default Temurin 25), SKIP_BUILD=1 to reuse benchmarks.jar,
# SERVER_CPU / CLIENT_CPU (0 / 1).
set -euo pipefail
cd "$(dirname "$0")"
minutes=10 every=10 clients=100 cycles=10000
while (( $# )); do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --cycles-per-minute) cycles=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
JAVA=${JAVA_BENCH:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SERVER_CPU=${SERVER_CPU:-0} CLIENT_CPU=${CLIENT_CPU:-1}
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd .. && mvn -B -q -pl benchmarks -am package -DskipTests)
fi
JAR=target/benchmarks.jar
out=target/soak/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# the server's heap is left at the JVM's default: a leak shows as a rising heap-after-GC column
taskset -c "$SERVER_CPU" "$JAVA" -cp "$JAR" dev.coro.bench.io.IoBench soak-server --port "$port" --every "$every" \
  > >(tee "$out/server.txt") 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
  sleep 0.2
done
taskset -c "$CLIENT_CPU" "$JAVA" -cp "$JAR" dev.coro.bench.io.IoBench soak-client --port "$port" --minutes "$minutes" \
  --clients "$clients" --cycles-per-minute "$cycles" --every "$every" | tee "$out/client.txt"
sleep $(( every + 1 ))   # one more server row once every client is gone
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
trap - EXIT

echo
echo "== soak: server table ($out/server.txt)"
grep -E '^ *(seconds|[0-9])' "$out/server.txt" | tee "$out/table.txt"
awk 'NR == 2 { f0 = $2; h0 = $3 } NR > 1 { f = $2; h = $3; if ($2 > fmax) fmax = $2; if ($3 > hmax) hmax = $3 }
     END { printf "fds: first %d, last %d, max %d;  heap after GC (KiB): first %d, last %d, max %d\n", f0, f, fmax, h0, h, hmax }' \
  "$out/table.txt" | tee "$out/summary.txt"
grep -E '^client done' "$out/client.txt" || true
