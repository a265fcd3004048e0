/**
 * The operator's view of a queued transport: statistics per consumer group and the dead-letter queue. An
 * optional capability: a transport without a queue does not implement it.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.api.admin;
