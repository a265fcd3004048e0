package io.hexbus.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The runnable app with SMTP_HOST set: its ten mails go to a real SMTP server (GreenMail, in-process). */
class HexbusAppSmtpTest {

    @RegisterExtension
    final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void theAppSendsItsTenMailsOverSmtpWhenSmtpHostIsSet() throws MessagingException {
        int exitCode = new HexbusApp(Map.of("SMTP_HOST", greenMail.getSmtp().getBindTo(),
                "SMTP_PORT", Integer.toString(greenMail.getSmtp().getPort()),
                "MAIL_FROM", "no-reply@hexbus.example")).run();

        assertEquals(0, exitCode);
        List<String> subjects = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            subjects.add(message.getSubject());
        }
        assertEquals(List.of("Invoice 2026-0001: 120.50 EUR due", "Welcome, Ada", "Confirm your email address",
                "Olivia invited you to join Acme Bakery", "Welcome to Acme Bakery",
                "Your role in Acme Bakery is now member", "You were removed from Acme Bakery",
                "Complete your payment of 49.90 EUR", "Payment received: 49.90 EUR", "Payment canceled: Monthly plan"),
                subjects);
    }

    @Test
    void aBadSmtpSettingStopsTheAppAsAConfigurationError() {
        assertEquals(2, new HexbusApp(Map.of("SMTP_HOST", "smtp.example.com", "SMTP_TLS", "yes",
                "MAIL_FROM", "no-reply@hexbus.example")).run());
    }
}
