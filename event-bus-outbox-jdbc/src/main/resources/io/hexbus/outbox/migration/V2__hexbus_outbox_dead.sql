-- The dead rows, for the relay's status (OutboxMonitor): counted without reading the sent rows the retention keeps.
CREATE INDEX hexbus_outbox_dead ON hexbus_outbox (seq) WHERE dead_at IS NOT NULL;
