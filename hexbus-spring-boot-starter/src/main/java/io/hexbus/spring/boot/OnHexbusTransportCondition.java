package io.hexbus.spring.boot;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.Arrays;
import java.util.Map;

/** The condition of {@link ConditionalOnHexbusTransport}. */
final class OnHexbusTransportCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnHexbusTransport.class.getName());
        if (attributes == null) {
            return false;
        }
        try {
            HexbusTransport chosen = selection(context.getEnvironment()).transport();
            return Arrays.asList((HexbusTransport[]) attributes.get("value")).contains(chosen);
        } catch (RuntimeException unreadable) {
            // Reported by HexbusAutoConfiguration's selection bean, which names the setting.
            return false;
        }
    }

    /**
     * @param environment the context's environment
     * @return the selection its settings make
     * @throws RuntimeException if a setting cannot be read
     */
    static HexbusTransportSelection selection(Environment environment) {
        Binder binder = Binder.get(environment);
        HexbusTransport transport = binder.bind("hexbus.transport", HexbusTransport.class).orElse(null);
        HexbusTransport queue = binder.bind("hexbus.queue", HexbusTransport.class).orElse(null);
        HexbusMode mode = binder.bind("hexbus.mode", HexbusMode.class).orElse(HexbusMode.ALL);
        return HexbusTransportSelection.choose(transport, queue,
                environment.getProperty(HexbusTransportSelection.USE_QUEUE_EVENT_BUS), mode);
    }
}
