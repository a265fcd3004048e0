/**
 * The unit-of-work port: {@link io.hexbus.api.transaction.UnitOfWork}, through which an application service commits
 * an aggregate and its events together (docs/outbox.md).
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.api.transaction;
