/**
 * The sample's outgoing mail: the {@link io.hexbus.sample.mail.Mailer} port, the {@link io.hexbus.sample.mail.Mail}
 * it sends, and the two ways sending fails (retryable delivery, non-retryable payload).
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.mail;
