package io.hexbus.api.conformance;

import io.hexbus.api.publishing.EventBus;

import java.time.Duration;

/**
 * A started transport for one test: its bus, publishing into the processor the test was given, and its
 * consumers (if any) running.
 */
@SuppressWarnings("try") // close() may throw whatever stopping the transport throws, InterruptedException included
public interface TransportUnderTest extends AutoCloseable {

    /**
     * @return the bus under test
     */
    EventBus bus();

    /**
     * Blocks until every event published so far has been handled or given up on (dead-lettered), so that
     * a test can assert that something did NOT happen. A synchronous transport returns at once.
     *
     * @param atMost how long to wait
     * @throws AssertionError if the transport is still busy after {@code atMost}
     */
    void awaitIdle(Duration atMost);

    /** Stops consumers and releases connections. */
    @Override
    void close() throws Exception;
}
