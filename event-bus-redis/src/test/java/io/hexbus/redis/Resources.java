package io.hexbus.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test started (servers, connections, transports), closed in reverse order: a test field annotated with
 * JUnit's {@code @AutoClose} closes them after each test, whatever it ended with. Not thread-safe.
 */
final class Resources implements AutoCloseable {

    private final List<AutoCloseable> started = new ArrayList<>();

    /** @return {@code resource}, to be closed after the test */
    <T extends AutoCloseable> T keep(T resource) {
        started.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
    }
}
