/**
 * The bus's meters on a Micrometer registry: {@link io.hexbus.micrometer.EventMetrics}, an observer of the
 * {@code DomainEventsProcessor} that every transport reports to. Shared by the Guice app's {@code /metrics} and the
 * Spring Boot starter, so both show the same names.
 */
package io.hexbus.micrometer;
