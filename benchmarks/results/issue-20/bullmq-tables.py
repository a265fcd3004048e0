#!/usr/bin/env python3
"""Prints, per figure, hexbus, the raw ceiling and BullMQ of each run (redis-results.json copies), and the ratios."""
import json, sys

PAIRS = [  # (figure, hexbus name start, ceiling name, BullMQ name start)
    ("publish one by one", "hexbus publish, one by one", "raw EVALSHA SET NX + XADD, one by one (sync)", "BullMQ Queue.add,"),
    ("batches of 100", "hexbus publishAll, batches of 100", "raw EVALSHA SET NX + XADD, pipelined (1,000 in flight)", "BullMQ Queue.addBulk"),
    ("end to end, 1 process x 4", "end to end, 1 worker process × 4 slots", "raw XADD, pipelined (1,000 in flight, manual flush)", "BullMQ end to end"),
    ("latency p50", "latency p50", None, "BullMQ latency p50"),
    ("latency p99", "latency p99", None, "BullMQ latency p99"),
    ("latency p99.9", "latency p99.9", None, "BullMQ latency p99.9"),
    ("latency max", "latency max", None, "BullMQ latency max"),
]

def find(figs, start):
    return next((f for f in figs if start and f["name"].startswith(start) and not (start == "latency p99" and f["name"].startswith("latency p99."))), None)

def cell(f):
    return "–" if f is None else f"{f['median']:,.3f} ({f['min']:,.3f}–{f['max']:,.3f})" if f["unit"] == "ms" else f"{f['median']:,.0f} ({f['min']:,.0f}–{f['max']:,.0f})"

for path in sys.argv[1:]:
    d = json.loads(open(path).read().replace("\\'", "'"))  # run 1's JSON has \' in a note (fixed since)
    figs = d["figures"]
    print(f"\n{path}\n\n| Figure | hexbus | raw ceiling | BullMQ 6.7.6 | BullMQ / hexbus | hexbus / ceiling | BullMQ / ceiling |\n|---|---:|---:|---:|---:|---:|---:|")
    for label, h, c, b in PAIRS:
        hf, cf, bf = find(figs, h), next((f for f in figs if f["name"] == c), None), find(figs, b)
        r = lambda x, y: "" if x is None or y is None else f"{x['median'] / y['median']:.3f}"
        print(f"| {label} | {cell(hf)} | {cell(cf)} | {cell(bf)} | {r(bf, hf)} | {r(hf, cf)} | {r(bf, cf)} |")
    m = d["extra"].get("memory")
    bm = [f for f in figs if f["name"].startswith("BullMQ Redis memory")]
    if m:
        hb = m["usedMemoryDeltaRetainedBytes"] / m["events"]
        print(f"| memory per waiting event, B | {hb:,.0f} (1 run) | – | " + "; ".join(f"{f['name'].split(', ')[1]}: {f['median']:,.0f} ({f['min']:,.0f}–{f['max']:,.0f})" for f in bm)
              + f" | {bm[0]['median'] / hb:.3f} | | |")
