#!/usr/bin/env bash
# The I/O comparison of issue 9 (docs/benchmarks.md, "I/O benchmarks"): HTTP plaintext with wrk
# (Coro's protocol and streams servers, Netty 4.2 one loop on epoll and NIO, a hand-written NIO loop,
# the JDK HttpServer on virtual threads), mini-redis vs redis-server with redis-benchmark, and echo
# round trips (Coro vs CPython 3.13 asyncio and uvloop), and TLS echo round trips (issue 10: Coro's
# SslProtocol vs Netty 4.2's SslHandler on the JDK provider, TLS 1.3). Every server runs alone on CPU 0, its load
# generator on CPU 1. Results: benchmarks/target/io-results/<time>/results.md (+ raw output).
#
#   benchmarks/run-io-benchmarks.sh            # the full run, about 12 minutes; run it on an idle machine
#   benchmarks/run-io-benchmarks.sh --quick    # every measurement a few seconds: checks the harness end to end
#   benchmarks/run-io-benchmarks.sh --only http --servers coro-protocol,netty-epoll   # a part
#   benchmarks/run-io-benchmarks.sh --only tls         # TLS echo: coro-tls, netty-tls-epoll, netty-tls-nio
#
# Installs wrk, redis-server, redis-tools and python3-uvloop from Debian when missing (as root); the
# test build never needs them. Environment: JAVA_BENCH (JDK of every Java server and load generator,
# default Temurin 25: the JDK HttpServer peer needs virtual threads), PYTHON (CPython 3.13),
# UVLOOP_PYTHON (a python3 with uvloop, default Debian's /usr/bin/python3), SERVER_CPU / CLIENT_CPU
# (default 0 / 1), SKIP_BUILD=1 to reuse benchmarks.jar and coro-examples.jar.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-$HOME/.pyenv/versions/3.13.0/bin/python3}
export PYTHON
if [[ ! -x "$PYTHON" ]]; then
  echo "CPython 3.13 not found at $PYTHON: set PYTHON=/path/to/python3.13" >&2
  exit 2
fi

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-benchmark >/dev/null || missing+=(redis-tools)
/usr/bin/python3 -c 'import uvloop' 2>/dev/null || missing+=(python3-uvloop)
if (( ${#missing[@]} )); then
  echo "installing from Debian: ${missing[*]}"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  # uvloop is optional: the echo benchmark goes on without it
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk redis-server redis-tools >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-uvloop >/dev/null \
    || echo "python3-uvloop did not install: the echo benchmark runs without uvloop" >&2
fi
# Debian's redis-server package starts a service on 6379: the benchmark starts its own on a free port
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd .. && mvn -B -q -pl benchmarks,examples -am package -DskipTests)
fi
exec "$PYTHON" scripts/iobench.py run "$@"
