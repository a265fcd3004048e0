package io.hexbus.adapters.mail;

import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailer when no SMTP server is configured: it sends nothing and logs the recipient and the subject of each
 * mail (never the body, which may hold links with tokens). Thread-safe.
 */
public final class LoggingMailer implements Mailer {

    private static final Logger log = LoggerFactory.getLogger(LoggingMailer.class);

    @Override
    public void send(Mail mail) {
        log.info("Mail not sent ({} is not set) to {}: {}", SmtpSettings.HOST, mail.to(), mail.subject());
    }
}
