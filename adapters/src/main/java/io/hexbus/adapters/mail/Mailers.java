package io.hexbus.adapters.mail;

import io.hexbus.sample.mail.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * Chooses the mailer once, at start: {@link SmtpMailer} when {@code SMTP_HOST} is set, otherwise
 * {@link LoggingMailer}.
 */
public final class Mailers {

    private static final Logger log = LoggerFactory.getLogger(Mailers.class);

    private Mailers() {
    }

    /**
     * @param environment the process environment
     * @return the mailer the environment asks for
     * @throws IllegalArgumentException naming the variable whose value is wrong, never showing the password
     */
    public static Mailer fromEnvironment(Map<String, String> environment) {
        return from(SmtpSettings.fromEnvironment(environment));
    }

    /**
     * @param smtp the SMTP settings, or empty when none are configured
     * @return an {@link SmtpMailer} with those settings, or a {@link LoggingMailer} without
     */
    public static Mailer from(Optional<SmtpSettings> smtp) {
        return smtp
                .<Mailer>map(settings -> {
                    log.info("Mail: SMTP via {}:{} ({}, {})", settings.host(), settings.port(),
                            settings.tls() ? "implicit TLS" : "plain, no TLS",
                            settings.authenticates() ? "login " + settings.username() : "no login");
                    return new SmtpMailer(settings);
                })
                .orElseGet(() -> {
                    log.info("Mail: logged, not sent ({} is not set)", SmtpSettings.HOST);
                    return new LoggingMailer();
                });
    }
}
