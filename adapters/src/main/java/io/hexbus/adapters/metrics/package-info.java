/**
 * Metrics adapters: Micrometer meters of the queue and the JVM in a Prometheus registry, scraped at
 * {@code GET /metrics} by the HTTP adapter.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.adapters.metrics;
