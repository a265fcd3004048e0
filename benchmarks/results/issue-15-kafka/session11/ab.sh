#!/bin/sh
# Interleaved A/B of the 1-worker end to end: base (commitSync of nothing to wait) vs new (a synchronous commit of the ledgers).
cd /work/wt/kafka
for round in 1 2; do
  for v in base new; do
    echo "== $v round $round, load $(cat /proc/loadavg)"
    timeout 600 java -Dbench.parts=e2e -Dbench.workers=1 -Dbench.runs=3 -Dbench.warmupMax=3 -cp /tmp/k15/$v.jar io.hexbus.benchmarks.KafkaHarness 2>&1 | grep -v WARN > /tmp/k15/ab-$v-$round.txt
    grep -E "^Kafka hexbus end to end, pre|^Kafka raw" /tmp/k15/ab-$v-$round.txt
  done
done
echo done
