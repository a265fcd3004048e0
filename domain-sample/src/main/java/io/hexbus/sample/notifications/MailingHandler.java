package io.hexbus.sample.notifications;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.EventHandler;
import io.hexbus.sample.mail.InvalidMailPayload;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.MailDeliveryException;
import io.hexbus.sample.mail.Mailer;
import io.hexbus.sample.shared.ValidatedPayload;
import io.vavr.collection.List;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * A handler that sends one mail per event: it checks the payload, composes the mail, and sends it.
 *
 * <p>Thread-safe when the {@link Mailer} is. Delivery is at least once on a queued transport, so a retried
 * event may send its mail twice; the sample accepts that for mail.
 *
 * @param <E> the event type
 */
public abstract class MailingHandler<E extends DomainEvent & ValidatedPayload<E>> implements EventHandler<E> {

    private static final DateTimeFormatter UTC_MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Mailer mailer;

    /**
     * @param mailer where the mail goes
     */
    protected MailingHandler(Mailer mailer) {
        this.mailer = Objects.requireNonNull(mailer, "mailer");
    }

    /**
     * Checks the payload, then sends the mail {@link #compose(DomainEvent)} builds.
     *
     * @param event the event
     * @throws InvalidMailPayload    if the payload breaks its rules (non-retryable)
     * @throws MailDeliveryException if the mail could not be delivered (retryable)
     */
    @Override
    public final void handle(E event) {
        E valid = event.validate().toEither().getOrElseThrow(problems -> new InvalidMailPayload(event, problems));
        Mail mail;
        try {
            mail = compose(valid);
        } catch (IllegalArgumentException unsendable) {
            throw new InvalidMailPayload(event, List.of(unsendable.getMessage()));
        }
        mailer.send(mail);
    }

    /**
     * Builds the mail of a valid event: recipient, subject and plain-text body from its payload.
     *
     * @param event an event whose payload passed its checks
     * @return the mail
     */
    public abstract Mail compose(E event);

    /**
     * @param instant an instant
     * @return it to the minute in UTC, for example {@code 2026-11-24 09:30 UTC}
     */
    protected static String utc(Instant instant) {
        return UTC_MINUTES.format(instant);
    }

    /**
     * @param role an enum constant such as a role
     * @return its name in lower case, for example {@code admin}
     */
    protected static String words(Enum<?> role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
