package io.hexbus.sample.invoicing.application;

import java.util.List;

/**
 * The audit trail of invoicing: a driven port. Implementations are thread-safe.
 */
public interface InvoiceAuditLog {

    /**
     * @param entry one line of the trail
     */
    void append(String entry);

    /**
     * @return the trail, oldest first
     */
    List<String> entries();
}
