#!/usr/bin/env bash
# The engine's read-ahead (records held beyond the 4 handler slots) of the worker: 512, then the default 64, one
# JVM run each, end to end with 1 worker process (the build of this commit; benchmarks.jar as docs/benchmarks.md builds it)
set -u
cd "$(dirname "$0")/../../.."
out=benchmarks/results/issue-15-kafka
for ra in 512 64; do
  { echo "# readAhead $ra, load before: $(cat /proc/loadavg)"; \
    java -Dbench.parts=e2e -Dbench.e2e=10000 -Dbench.runs=3 -Dbench.warmupMax=3 -Dbench.workers=1 \
      "-Dbench.workerJvmArgs=-Dbench.readAhead=$ra" \
      -cp benchmarks/target/benchmarks.jar io.hexbus.benchmarks.KafkaHarness 2>&1; \
    echo "# load after: $(cat /proc/loadavg)"; } > $out/readahead-$ra.txt
done
