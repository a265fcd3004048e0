package io.hexbus.spring.boot;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @SpringBootTest} class: the context's {@code EventBus} becomes a
 * {@link io.hexbus.inmemory.testing.RecordingEventBus} that records each event a use case publishes and forwards it
 * to the transport's bus, so handlers still run; the test asserts what was published through
 * {@code recorder.events()}. The recorder is the primary {@code EventBus} bean; the transport's stays named
 * {@value HexbusAutoConfiguration#TRANSPORT_BUS}. A cached context shares its recorder between test classes: call
 * {@code clear()} before each test, or assert on the events of the test's own ids.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ImportAutoConfiguration(HexbusRecordingAutoConfiguration.class)
public @interface AutoConfigureHexbusRecording {
}
