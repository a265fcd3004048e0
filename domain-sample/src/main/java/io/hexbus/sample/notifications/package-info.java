/**
 * Notifications: the handlers that turn events of the other contexts into mails sent through the
 * {@link io.hexbus.sample.mail.Mailer} port, one subscription per mail, and {@link
 * io.hexbus.sample.notifications.MailHandlers}, which registers them all.
 *
 * <p>The other contexts do not know this package: they publish events, and this package subscribes. Each
 * handler checks the payload first and fails with a non-retryable {@link io.hexbus.sample.mail.InvalidMailPayload}
 * when it is invalid; a failed delivery is a retryable {@link io.hexbus.sample.mail.MailDeliveryException}.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.sample.notifications;
