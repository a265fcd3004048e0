/**
 * The bus's meters on a Micrometer registry: {@link io.hexbus.micrometer.EventMetrics}, an observer of the
 * {@code DomainEventsProcessor} that every transport reports to, and {@link io.hexbus.micrometer.QueueMeters}, the
 * queue's statistics read through the {@code QueueAdmin} port. Shared by the Guice app's {@code /metrics} and the
 * Spring Boot starter, so both show the same names.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.micrometer;
