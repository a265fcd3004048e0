#!/usr/bin/env bash
# Runs RedisHarness (hexbus, the raw ceilings and the BullMQ peer, one run) against a private redis-server on a free
# port (no persistence), then stops that server. From the repository's root, after building the benchmarks:
#   benchmarks/peers/bullmq/run-private-redis.sh [extra java options, e.g. -Dbench.scale=0.5] > run.txt 2>&1
# The parts default to all of RedisHarness's and bullmq; -Dbench.parts=… in the arguments overrides them.
set -euo pipefail
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
stop() {
  local pid
  pid=$(cat "$dir/redis.pid" 2>/dev/null) || true
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done # it writes its log until it has exited
  fi
  rm -rf "$dir"
}
trap stop EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "private redis-server $(redis-server --version | awk '{print $3}') on 127.0.0.1:$port; load: $(uptime)"
REDIS_URL="redis://127.0.0.1:$port" java -Dbench.parts=ceiling,publish,e2e,latency,memory,bullmq "$@" \
  -cp benchmarks/target/benchmarks.jar io.hexbus.benchmarks.RedisHarness
echo "load at the end: $(uptime)"
