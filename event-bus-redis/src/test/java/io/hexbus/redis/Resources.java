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

    /** Closes every resource, the last kept first, even when one fails; the first failure is thrown. */
    @Override
    public void close() {
        RuntimeException failed = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (failed == null) {
                    failed = new IllegalStateException("closing a test's resources failed", e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (failed != null) {
            throw failed;
        }
    }
}
