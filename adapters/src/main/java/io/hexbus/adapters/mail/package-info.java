/**
 * Mail adapters: the {@link io.hexbus.sample.mail.Mailer} port over SMTP with Jakarta Mail (Angus Mail), its
 * settings from the environment ({@code SMTP_HOST}, {@code SMTP_PORT}, {@code SMTP_USER}, {@code SMTP_PASSWORD},
 * {@code SMTP_TLS}, {@code MAIL_FROM}), and a logging mailer for when no SMTP server is configured.
 *
 * <p>Parameters and return values in this package are non-null unless a method says otherwise.
 */
package io.hexbus.adapters.mail;
