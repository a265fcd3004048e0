/**
 * The sample service: a hexagonal domain whose use cases publish through the
 * {@link io.hexbus.api.publishing.EventBus} port and never name a transport.
 */
package io.hexbus.sample;
