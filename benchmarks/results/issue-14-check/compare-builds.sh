#!/bin/bash
# Runs the Redis harness of two builds interleaved against one private Redis, as issue 14's check did:
#   compare-builds.sh <new benchmarks.jar> <base benchmarks.jar> <output dir>
# Build each jar from its commit with: ./mvnw -B -q -Pbenchmarks -pl benchmarks -am clean package -DskipTests
set -eu
NEW=$1 BASE=$2 OUT=$3 PORT=${PORT:-6421}
mkdir -p "$OUT"
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --logfile "$OUT/redis.log" \
  --maxmemory-policy noeviction
trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true' EXIT
for i in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
for round in 1 2; do
  for build in new base; do
    jar=$NEW; [ "$build" = base ] && jar=$BASE
    echo "== $build round $round $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/log.txt"
    REDIS_URL=redis://127.0.0.1:$PORT java -Dbench.parts=ceiling,publish,e2e -Dbench.e2e=50000 -Dbench.runs=1 \
      -cp "$jar" io.hexbus.benchmarks.RedisHarness > "$OUT/$build-$round.txt" 2>&1
  done
done
