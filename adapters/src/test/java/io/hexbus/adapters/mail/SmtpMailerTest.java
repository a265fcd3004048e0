package io.hexbus.adapters.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hexbus.api.handling.NonRetryable;
import io.hexbus.sample.mail.Mail;
import io.hexbus.sample.mail.MailDeliveryException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMTP adapter against a real SMTP server in-process (GreenMail), plain and implicit TLS, on free ports. */
class SmtpMailerTest {

    private static final String FROM = "hexbus sample <no-reply@hexbus.example>";
    private static final Mail MAIL = new Mail("zoe@example.com", "Grüße, Zoë", "Hi Zoë,\n\nline two.\n");
    private static final long WAIT_MILLIS = 5_000;

    @RegisterExtension
    final GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.SMTPS}))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer@hexbus.example", "mailer", "s3cret"));

    private SmtpSettings plain(String user, String password) {
        return new SmtpSettings(greenMail.getSmtp().getBindTo(), greenMail.getSmtp().getPort(), user, password,
                false, FROM);
    }

    private SmtpSettings tls() {
        return new SmtpSettings(greenMail.getSmtps().getBindTo(), greenMail.getSmtps().getPort(), "mailer",
                "s3cret", true, FROM);
    }

    private MimeMessage theOnlyMessage() {
        assertTrue(greenMail.waitForIncomingEmail(WAIT_MILLIS, 1), "no mail arrived within " + WAIT_MILLIS + " ms");
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length);
        return received[0];
    }

    private static void assertIsTheMail(MimeMessage message) throws MessagingException, IOException {
        assertArrayEquals(new InternetAddress[] {new InternetAddress("zoe@example.com")}, message.getAllRecipients());
        assertArrayEquals(new InternetAddress[] {new InternetAddress(FROM)}, message.getFrom());
        assertEquals("Grüße, Zoë", message.getSubject());
        // SMTP carries lines with CRLF, and the final line break before the terminating "." is not kept.
        assertEquals("Hi Zoë,\n\nline two.", ((String) message.getContent()).replace("\r\n", "\n").stripTrailing());
    }

    @Test
    void plainSmtpDeliversRecipientSenderSubjectAndBodyInUtf8() throws Exception {
        new SmtpMailer(plain(null, null)).send(MAIL);

        assertIsTheMail(theOnlyMessage());
    }

    @Test
    void plainSmtpLogsInWhenAUserIsSet() throws Exception {
        new SmtpMailer(plain("mailer", "s3cret")).send(MAIL);

        assertIsTheMail(theOnlyMessage());
    }

    @Test
    void implicitTlsDeliversOnceTheTestCertificateIsTrustedForThisMailerOnly() throws Exception {
        // GreenMail's certificate is self-signed for "GreenMail selfsigned Test Certificate": trust this host and
        // skip the name check here, in this mailer's session only, never in the JVM.
        String host = greenMail.getSmtps().getBindTo();
        new SmtpMailer(tls(), Map.of("mail.smtps.ssl.trust", host, "mail.smtps.ssl.checkserveridentity", "false"))
                .send(MAIL);

        assertIsTheMail(theOnlyMessage());
    }

    @Test
    void implicitTlsRefusesACertificateTheJvmDoesNotTrustAsARetryableFailure() {
        MailDeliveryException thrown = assertThrows(MailDeliveryException.class,
                () -> new SmtpMailer(tls()).send(MAIL));

        assertFalse(NonRetryable.isNonRetryable(thrown));
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void aWrongPasswordIsARetryableFailureThatNeverShowsThePassword() {
        MailDeliveryException thrown = assertThrows(MailDeliveryException.class,
                () -> new SmtpMailer(plain("mailer", "wrong-pa55")).send(MAIL));

        assertInstanceOf(AuthenticationFailedException.class, thrown.getCause());
        assertFalse(NonRetryable.isNonRetryable(thrown));
        assertFalse(thrown.getMessage().contains("wrong-pa55"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(greenMail.getSmtp().getBindTo() + ":" + greenMail.getSmtp().getPort()),
                thrown.getMessage());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void aClosedPortIsARetryableConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SmtpSettings nobodyListens = new SmtpSettings("127.0.0.1", closedPort, null, null, false, FROM);

        MailDeliveryException thrown = assertThrows(MailDeliveryException.class,
                () -> new SmtpMailer(nobodyListens).send(MAIL));

        assertFalse(NonRetryable.isNonRetryable(thrown));
        Throwable root = thrown;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertInstanceOf(ConnectException.class, root);
    }
}
