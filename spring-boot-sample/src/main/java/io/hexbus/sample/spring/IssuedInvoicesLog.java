package io.hexbus.sample.spring;

import io.hexbus.sample.invoicing.domain.InvoiceIssued;
import io.hexbus.spring.boot.HexbusHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Logs each issued invoice: a handler method, subscribed as {@code issuedInvoicesLog.onInvoiceIssued}. */
@Component
public class IssuedInvoicesLog {

    private static final Logger log = LoggerFactory.getLogger(IssuedInvoicesLog.class);

    /** Created by Spring. */
    public IssuedInvoicesLog() {
        // no state
    }

    /**
     * @param event an issued invoice
     */
    @HexbusHandler
    public void onInvoiceIssued(InvoiceIssued event) {
        log.info("Invoice {} issued to {} for {}", event.invoiceNumber(), event.companyId(), event.total().format());
    }
}
