-- The sample service's invoices (io.hexbus.adapters.persistence.JdbcInvoiceRepository), with DATABASE_URL set.
-- Its own migrations and history table (hexbus_sample_schema_history), apart from the outbox's: the sample's
-- schema changes with the sample, the outbox's with the library.

CREATE TABLE sample_invoice (
    id             text    PRIMARY KEY,
    number         text    NOT NULL,
    company_id     text    NOT NULL,
    billing_email  text    NOT NULL,
    store_id       text    NOT NULL,
    -- numeric without a scale keeps the scale it was given: 120.50 reads back as 120.50, 10 as 10, as Money
    -- compares them.
    total_amount   numeric NOT NULL,
    total_currency text    NOT NULL,
    status         text    NOT NULL CHECK (status IN ('DRAFT', 'ISSUED'))
);
