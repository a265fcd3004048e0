package io.hexbus.redis.archfixture;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A transport that runs handlers on a pool of its own instead of the engine's worker: what the rule refuses. */
public final class TransportWithAPoolOfItsOwn {

    private final ExecutorService handlers = Executors.newFixedThreadPool(4);

    /** @param job a handler run */
    public void run(Runnable job) {
        handlers.execute(job);
    }
}
