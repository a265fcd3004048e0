package io.hexbus.sample.spring;

import io.hexbus.sample.mail.Mailer;
import io.hexbus.sample.notifications.SendInvoiceEmail;
import io.hexbus.spring.boot.HexbusHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The notifications context: the invoice mail, under the subscription name the Guice app gives it, and where mail
 * goes ({@link SentMails}: logged and kept in memory).
 */
@Configuration(proxyBeanMethods = false)
public class NotificationsConfiguration {

    /** @return the mailer */
    @Bean
    public SentMails sentMails() {
        return new SentMails();
    }

    /**
     * @param mailer where the mail goes
     * @return the handler that mails each issued invoice to the company's billing contact
     */
    @Bean
    @HexbusHandler(subscription = SendInvoiceEmail.SUBSCRIPTION)
    public SendInvoiceEmail sendInvoiceEmail(Mailer mailer) {
        return new SendInvoiceEmail(mailer);
    }
}
