package io.hexbus.sample.testing;

import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.Mailer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Mailer} that keeps what it was given. Thread-safe. */
public final class RecordingMailer implements Mailer {

    private final List<Mail> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(Mail mail) {
        sent.add(mail);
    }

    /** @return every mail sent, in order */
    public List<Mail> sent() {
        return List.copyOf(sent);
    }
}
