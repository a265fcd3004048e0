package io.hexbus.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The span attributes hexbus writes: those of the OpenTelemetry messaging semantic conventions that fit (an event
 * name is the destination, an event id the message id), and hexbus's own for what they do not name.
 */
final class MessagingAttributes {

    /** Always {@value #SYSTEM}. */
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    /** {@code create} at publish, {@code process} around a handler run. */
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    /** The same word as the type: hexbus has no operation names of its own. */
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    /** The event name: what hexbus routes by. */
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    /** The event id. */
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    /** The class name of what a failed handler threw. */
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /** The subscription whose handler ran. */
    static final AttributeKey<String> SUBSCRIPTION = AttributeKey.stringKey("hexbus.subscription");
    /** Which attempt of the subscription on the event the run was, from 1. */
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("hexbus.attempt");

    static final String SYSTEM = "hexbus";
    static final String CREATE = "create";
    static final String PROCESS = "process";

    private MessagingAttributes() {
    }
}
