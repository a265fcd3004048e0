#!/usr/bin/env bash
# Issue 20's latency figure, reproduced: a private redis-server on a free port (no persistence), the Redis
# harness's latency part against it, then the server stopped. Usage (after building the benchmarks module):
#   benchmarks/results/issue-20/run-latency.sh [benchmarks.jar] [extra JVM options...]
# Knobs as system properties in JAVA_OPTS, e.g. JAVA_OPTS="-Dbench.runs=5".
set -euo pipefail
jar="${1:-benchmarks/target/benchmarks.jar}"
shift || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
REDIS_URL="redis://127.0.0.1:$port" java -Xms512m -Xmx512m ${JAVA_OPTS:-} "$@" -Dbench.parts=latency \
    -cp "$jar" io.hexbus.benchmarks.RedisHarness
