package io.hexbus.outbox.archfixture;

import io.hexbus.api.publishing.EventBus;
import io.hexbus.codec.EventCodec;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.slf4j.Logger;

import java.sql.Connection;
import javax.sql.DataSource;

/**
 * Obeys {@code outboxDependsOnlyOnApiCodecJdbcPostgresqlAndFlyway}: every library the outbox may use, {@code
 * javax.sql} (outside {@code java..}) among them.
 */
public class OutboxThatUsesWhatItMay {
    EventBus target;
    EventCodec codec;
    DataSource dataSource;
    Connection connection;
    PGConnection notifications;
    Flyway migrations;
    Logger log;
}
