/**
 * Payments' use cases (check out, payment succeeded, payment canceled) and the payment store they need.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.payments.application;
