package io.hexbus.sample.spring;

import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Mailer} that logs each mail's recipient and subject and keeps the mails. Thread-safe. */
public final class SentMails implements Mailer {

    private static final Logger log = LoggerFactory.getLogger(SentMails.class);

    private final List<Mail> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(Mail mail) {
        sent.add(mail);
        log.info("Mail to {}: {}", mail.to(), mail.subject());
    }

    /** @return the mails sent so far, oldest first */
    public List<Mail> sent() {
        return List.copyOf(sent);
    }
}
