-- An application's own first migration, run by its own Flyway beside the outbox's (OutboxSchemaTest).
CREATE TABLE invoices (id uuid PRIMARY KEY, amount numeric NOT NULL);
