package io.hexbus.sample.invoicing.application;

import io.hexbus.sample.invoicing.domain.Invoice;

import java.util.List;
import java.util.Optional;

/**
 * Where invoices are kept: a driven port.
 */
public interface InvoiceRepository {

    /**
     * @param invoiceId the invoice id
     * @return the invoice, or empty
     */
    Optional<Invoice> findById(String invoiceId);

    /**
     * @return the issued invoices, those that await payment, in no particular order
     */
    List<Invoice> findIssued();

    /**
     * @param invoice the invoice to store, replacing an earlier version
     */
    void save(Invoice invoice);
}
