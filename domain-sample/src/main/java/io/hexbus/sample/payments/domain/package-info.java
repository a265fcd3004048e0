/**
 * Payments' domain: a payment from checkout to success or cancellation, and the mails each step asks for.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.payments.domain;
