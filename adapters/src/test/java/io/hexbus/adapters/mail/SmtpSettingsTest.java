package io.hexbus.adapters.mail;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SmtpSettingsTest {

    private static IllegalArgumentException refused(Map<String, String> environment) {
        return assertThrows(IllegalArgumentException.class, () -> SmtpSettings.fromEnvironment(environment));
    }

    @Test
    void noHostMeansNoSmtpAndTheLoggingMailer() {
        assertEquals(Optional.empty(), SmtpSettings.fromEnvironment(Map.of("SMTP_HOST", " ", "SMTP_PORT", "x")));
        assertInstanceOf(LoggingMailer.class, Mailers.fromEnvironment(Map.of()));
    }

    @Test
    void readsEveryVariableAndDefaultsThePortToTheTlsChoice() {
        assertEquals(new SmtpSettings("smtp.example.com", 2525, "mailer", " pa ss ", true, "no-reply@example.com"),
                SmtpSettings.fromEnvironment(Map.of("SMTP_HOST", "smtp.example.com", "SMTP_PORT", "2525",
                        "SMTP_USER", "mailer", "SMTP_PASSWORD", " pa ss ", "SMTP_TLS", "TRUE",
                        "MAIL_FROM", "no-reply@example.com")).orElseThrow());
        assertEquals(465, SmtpSettings.fromEnvironment(Map.of("SMTP_HOST", "h", "SMTP_TLS", "true",
                "MAIL_FROM", "a@example.com")).orElseThrow().port());
        SmtpSettings plain = SmtpSettings.fromEnvironment(Map.of("SMTP_HOST", "h", "MAIL_FROM", "a@example.com"))
                .orElseThrow();
        assertEquals(25, plain.port());
        assertFalse(plain.tls());
        assertFalse(plain.authenticates());
        assertInstanceOf(SmtpMailer.class, Mailers.fromEnvironment(Map.of("SMTP_HOST", "h",
                "MAIL_FROM", "a@example.com")));
    }

    @Test
    void wrongValuesAreRefusedNamingTheVariable() {
        assertEquals("SMTP_TLS='yes' is not allowed: use true (implicit TLS, SMTPS) or false (plain SMTP, the"
                + " default)", refused(Map.of("SMTP_HOST", "h", "SMTP_TLS", "yes", "MAIL_FROM", "a@example.com"))
                .getMessage());
        assertEquals("SMTP_PORT='smtp' is not a port: use 1 to 65535",
                refused(Map.of("SMTP_HOST", "h", "SMTP_PORT", "smtp", "MAIL_FROM", "a@example.com")).getMessage());
        assertEquals("SMTP_PORT=70000 is not a port: use 1 to 65535",
                refused(Map.of("SMTP_HOST", "h", "SMTP_PORT", "70000", "MAIL_FROM", "a@example.com")).getMessage());
        assertEquals("MAIL_FROM is required when SMTP_HOST is set: the sender address",
                refused(Map.of("SMTP_HOST", "h")).getMessage());
        assertEquals("MAIL_FROM='not an address' is not an email address",
                refused(Map.of("SMTP_HOST", "h", "MAIL_FROM", "not an address")).getMessage());
        assertEquals("SMTP_USER and SMTP_PASSWORD are set together or not at all",
                refused(Map.of("SMTP_HOST", "h", "SMTP_USER", "u", "MAIL_FROM", "a@example.com")).getMessage());
    }

    @Test
    void thePasswordNeverShowsInToString() {
        SmtpSettings settings = new SmtpSettings("h", 465, "mailer", "hunter2", true, "a@example.com");

        assertEquals("SmtpSettings[host=h, port=465, username=mailer, password=***, tls=true, from=a@example.com]",
                settings.toString());
        assertFalse(new SmtpMailer(settings).toString().contains("hunter2"));
    }
}
