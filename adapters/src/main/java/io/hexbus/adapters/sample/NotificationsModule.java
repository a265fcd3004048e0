package io.hexbus.adapters.sample;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.hexbus.adapters.guice.HandlerRegistrar;
import io.hexbus.adapters.mail.Mailers;
import io.hexbus.adapters.mail.SmtpSettings;
import io.hexbus.sample.mail.Mailer;
import io.hexbus.sample.notifications.MailHandlers;
import jakarta.inject.Singleton;

import java.util.Objects;
import java.util.Optional;

/**
 * The notifications context: the {@link Mailer} (SMTP when settings are given, a logging mailer otherwise)
 * and every mail handler ({@link MailHandlers}) as a {@link HandlerRegistrar}.
 */
public final class NotificationsModule extends AbstractModule {

    private final Optional<SmtpSettings> smtp;

    /**
     * @param smtp the SMTP server to send through, or empty to log mails instead of sending them
     */
    public NotificationsModule(Optional<SmtpSettings> smtp) {
        this.smtp = Objects.requireNonNull(smtp, "smtp");
    }

    @Provides
    @Singleton
    Mailer mailer() {
        return Mailers.from(smtp);
    }

    @ProvidesIntoSet
    HandlerRegistrar mailHandlers(MailHandlers handlers) {
        return handlers::register;
    }
}
