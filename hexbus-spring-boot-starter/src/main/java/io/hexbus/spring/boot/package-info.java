/**
 * Spring Boot auto-configuration of hexbus: the event-type registry, the processor, the {@code EventBus} of the
 * transport {@code hexbus.transport} names, handler beans ({@link io.hexbus.spring.boot.HexbusHandler}), queue
 * workers in the context's lifecycle, and a recording bus for tests
 * ({@link io.hexbus.spring.boot.AutoConfigureHexbusRecording}). Nothing here is null unless its documentation says so.
 */
package io.hexbus.spring.boot;
