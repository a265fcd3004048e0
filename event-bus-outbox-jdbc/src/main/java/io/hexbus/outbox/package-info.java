/**
 * The transactional outbox on PostgreSQL (docs/outbox.md): a {@link io.hexbus.api.transaction.UnitOfWork} on JDBC,
 * an {@link io.hexbus.api.publishing.EventBus} that writes events to the outbox table in that unit's transaction, the
 * schema's migrations, and the relay that forwards committed events to the configured transport.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.outbox;
