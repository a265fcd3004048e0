package io.hexbus.outbox.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Breaks {@code outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway}: an outbox that writes its rows' JSON with
 * Jackson, past the codec, so that the rows could differ from what the transports carry.
 */
public class OutboxThatWritesJsonItself {
    ObjectMapper json;
}
