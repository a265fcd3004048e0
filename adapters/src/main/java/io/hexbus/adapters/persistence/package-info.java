/**
 * The sample service's stores in PostgreSQL, used with {@code DATABASE_URL}: the invoices, written in the
 * transaction of the current {@link io.hexbus.outbox.JdbcUnitOfWork}, with the schema's own migrations.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.adapters.persistence;
