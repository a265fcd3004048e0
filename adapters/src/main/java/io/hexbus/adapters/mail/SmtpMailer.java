package io.hexbus.adapters.mail;

import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.MailDeliveryException;
import io.hexbus.sample.mail.Mailer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Sends mail over SMTP with Jakarta Mail (Angus Mail): one connection per mail, plain text in UTF-8.
 *
 * <p>Every failure to deliver (server unreachable, timed out, login refused, mail refused) is thrown as a
 * {@link MailDeliveryException}, which is retryable: a transport that retries sends the mail again later.
 * Connecting, reading and writing each time out after {@link #TIMEOUT}, so a stuck server cannot hold a
 * handler past its own timeout. Logs name the recipient and the subject, never the body or the password.
 *
 * <p>Thread-safe: the Jakarta Mail session is shared, connections are not.
 */
public final class SmtpMailer implements Mailer {

    /** How long connecting, and each read or write, may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(SmtpMailer.class);

    private final SmtpSettings settings;
    private final String protocol;
    private final Session session;
    private final InternetAddress from;

    /**
     * @param settings where and how to send
     */
    public SmtpMailer(SmtpSettings settings) {
        this(settings, Map.of());
    }

    /**
     * @param settings          where and how to send
     * @param sessionProperties Jakarta Mail session properties that override the ones derived from the settings,
     *                          for example {@code mail.smtps.ssl.trust} to trust a test server's certificate
     */
    public SmtpMailer(SmtpSettings settings, Map<String, String> sessionProperties) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.protocol = settings.tls() ? "smtps" : "smtp";
        Properties properties = new Properties();
        String prefix = "mail." + protocol + ".";
        properties.setProperty("mail.transport.protocol", protocol);
        properties.setProperty(prefix + "host", settings.host());
        properties.setProperty(prefix + "port", Integer.toString(settings.port()));
        properties.setProperty(prefix + "auth", Boolean.toString(settings.authenticates()));
        properties.setProperty(prefix + "connectiontimeout", Long.toString(TIMEOUT.toMillis()));
        properties.setProperty(prefix + "timeout", Long.toString(TIMEOUT.toMillis()));
        properties.setProperty(prefix + "writetimeout", Long.toString(TIMEOUT.toMillis()));
        if (settings.tls()) {
            properties.setProperty(prefix + "ssl.checkserveridentity", "true");
        }
        properties.putAll(Objects.requireNonNull(sessionProperties, "sessionProperties"));
        this.session = Session.getInstance(properties);
        try {
            this.from = new InternetAddress(settings.from(), true);
        } catch (MessagingException checkedBySettings) {
            throw new IllegalArgumentException(SmtpSettings.FROM + " is not an email address", checkedBySettings);
        }
    }

    @Override
    public void send(Mail mail) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
            message.setSubject(mail.subject(), "UTF-8");
            message.setText(mail.textBody(), "UTF-8");
            message.setSentDate(new Date());
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
                transport.sendMessage(message, message.getAllRecipients());
            }
            log.info("Mail sent over {} to {}: {}", protocol.toUpperCase(), mail.to(), mail.subject());
        } catch (MessagingException failed) {
            throw new MailDeliveryException("could not deliver mail over " + protocol.toUpperCase() + " via "
                    + settings.host() + ":" + settings.port() + ": " + failed.getClass().getSimpleName()
                    + (failed.getMessage() == null ? "" : ": " + failed.getMessage().strip()), failed);
        }
    }

    @Override
    public String toString() {
        return "SmtpMailer[" + settings + "]";
    }
}
