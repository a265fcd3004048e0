package io.hexbus.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.event.EventUpcaster;

import java.util.Map;

/**
 * Runs the chain of a registry's upcasters over a payload, from the entry's version to the reader's, one
 * step at a time. A missing step or a failing upcaster makes the entry malformed, naming the step.
 */
final class Upcasting {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Upcasting() {
    }

    /**
     * @param payload the payload at {@code from}; not changed
     * @return the payload at {@code to}, a new tree
     */
    static ObjectNode upcast(ObjectMapper mapper, EventTypeRegistry registry, String name, ObjectNode payload,
                             int from, int to) {
        Map<String, Object> values = mapper.convertValue(payload, MAP);
        for (int version = from; version < to; version++) {
            int source = version;
            EventUpcaster upcaster = registry.upcasterFrom(name, source).orElseThrow(() ->
                    new MalformedEventException("event '" + name + "' is at version " + from + " and this service"
                            + " reads version " + to + ", but no upcaster from version " + source + " is registered",
                            null));
            try {
                values = upcaster.upcast(values);
            } catch (RuntimeException e) {
                throw new MalformedEventException("the upcaster of '" + name + "' from version " + source
                        + " failed (" + e.getClass().getName() + ")", String.valueOf(e.getMessage()), e);
            }
            if (values == null) {
                throw new MalformedEventException("the upcaster of '" + name + "' from version " + source
                        + " returned null", null);
            }
        }
        JsonNode result;
        try {
            result = mapper.valueToTree(values);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("the upcasters of '" + name + "' returned a value with no JSON form",
                    e.getMessage(), e);
        }
        return (ObjectNode) result;
    }
}
