package io.hexbus.spring.boot;

import io.hexbus.outbox.OutboxSchema;
import org.springframework.beans.factory.SmartInitializingSingleton;

import javax.sql.DataSource;

/**
 * Brings the outbox's table up to date ({@link OutboxSchema#migrate(DataSource)}, its own Flyway history) once every
 * singleton is created: after the application's own schema set-up (Boot's Flyway or Liquibase, {@code schema.sql}),
 * which may refuse a schema that already holds tables, and before the relay or any request runs.
 */
final class HexbusOutboxSchema implements SmartInitializingSingleton {

    private final DataSource dataSource;
    private final boolean migrate;

    HexbusOutboxSchema(DataSource dataSource, boolean migrate) {
        this.dataSource = dataSource;
        this.migrate = migrate;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (migrate) {
            OutboxSchema.migrate(dataSource);
        }
    }
}
