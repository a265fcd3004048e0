package io.hexbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link InMemoryBench}'s single-threaded methods timed by the thread's CPU time instead of the wall clock, all in
 * one JVM, interleaved round by round: on a machine whose other processes take the cores away, JMH's wall time counts
 * the time the benchmark thread waited for a core, CPU time does not (it still counts the caches other processes
 * evicted). A companion to JMH for comparing two builds on a busy machine, not a replacement: no fork, no
 * blackhole (each result feeds a sum that is printed).
 *
 * <p>{@code java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks.jar io.hexbus.benchmarks.InMemoryCpuTime
 * [rounds] [warm-up rounds] [ops per round]}; defaults 20, 10, 1,000,000. Prints, per method, the median CPU ns/op
 * of the measured rounds and their min–max.
 */
public final class InMemoryCpuTime {

    private InMemoryCpuTime() {
    }

    /** One operation of a benchmark method, reduced to a number the loop sums. */
    private interface Op {
        long applyAsLong(InMemoryBench.Ids ids) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int ops = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        InMemoryBench bench = new InMemoryBench();
        bench.dedupeCapacity = 100_000;
        bench.setUp();
        InMemoryBench.Ids ids = new InMemoryBench.Ids();
        ids.setUp();

        Map<String, Op> methods = new LinkedHashMap<>();
        methods.put("direct1", i -> bench.direct1(i).seq());
        methods.put("direct5", i -> bench.direct5(i).seq());
        methods.put("hexbus1", i -> bench.hexbus1(i).ordinal());
        methods.put("hexbus5", i -> bench.hexbus5(i).ordinal());
        methods.put("guava1", i -> bench.guava1(i).seq());
        methods.put("guava5", i -> bench.guava5(i).seq());
        methods.put("spring1", i -> bench.spring1(i).seq());
        methods.put("spring5", i -> bench.spring5(i).seq());
        methods.put("springMulticaster1", i -> bench.springMulticaster1(i).seq());
        methods.put("springMulticaster5", i -> bench.springMulticaster5(i).seq());

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> times = new LinkedHashMap<>();
        long sink = 0;
        for (int round = 0; round < warmup + rounds; round++) {
            for (Map.Entry<String, Op> method : methods.entrySet()) {
                Op op = method.getValue();
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    sink += op.applyAsLong(ids);
                }
                long cpu = threads.getCurrentThreadCpuTime() - start;
                if (round >= warmup) {
                    times.computeIfAbsent(method.getKey(), k -> new ArrayList<>()).add(cpu / (double) ops);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-20s %10s %20s  (%d rounds of %,d ops after %d warm-up rounds; sum %d)%n",
                "method", "median", "min-max", rounds, ops, warmup, sink & 1);
        for (Map.Entry<String, List<Double>> method : times.entrySet()) {
            double[] sorted = method.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-20s %10.1f %9.1f-%-9.1f raw %s%n", method.getKey(),
                    sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1],
                    Arrays.toString(method.getValue().stream().mapToLong(Math::round).toArray()));
        }
        bench.tearDown();
    }
}
