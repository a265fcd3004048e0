/**
 * The port a use case publishes through: {@link io.hexbus.api.publishing.EventBus}, what a publish reports,
 * and how it fails.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.api.publishing;
