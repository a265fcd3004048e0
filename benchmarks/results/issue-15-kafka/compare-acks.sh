#!/usr/bin/env bash
# base, experiment, base, experiment: the same harness, end to end with 1 worker process, one JVM run each.
# benchmarks-base.jar: benchmarks.jar of commit 898c74d; benchmarks-experiment.jar: the same with
# experiment-pipelined-acks.patch applied to event-bus-kafka (not committed). Both built as docs/benchmarks.md says.
set -u
cd "$(dirname "$0")/../../.."
out=benchmarks/results/issue-15-kafka
for round in 1 2; do
  for build in base experiment; do
    { echo "# build: $build, round $round, load before: $(cat /proc/loadavg)"; \
      java -Dbench.parts=e2e -Dbench.e2e=10000 -Dbench.runs=3 -Dbench.warmupMax=3 -Dbench.workers=1 \
        -cp /tmp/x/benchmarks-$build.jar io.hexbus.benchmarks.KafkaHarness 2>&1; \
      echo "# load after: $(cat /proc/loadavg)"; } > $out/acks-$build-round$round.txt
  done
done
