package io.hexbus.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link InMemoryBench}'s methods on 2 threads publishing at once into one bus (this machine has 2 cores). */
@Threads(2)
public class InMemoryBench2T extends InMemoryBench {
}
