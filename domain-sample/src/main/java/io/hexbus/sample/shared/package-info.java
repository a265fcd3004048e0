/**
 * The sample's shared kernel: small value types and checks that every bounded context of the sample uses
 * (money, the payload checks of events, why a use case refused). No framework types.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.shared;
