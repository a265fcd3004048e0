-- The waiting rows that were tried and wait for a later attempt (a failed forward's backoff, an event of a newer
-- version put off), by key: the relay's batch skips the rows behind one of them that is not yet due, so that a key held
-- back never fills a batch and holds back every other key. Few rows, and none while forwards succeed.
CREATE INDEX hexbus_outbox_retrying_key ON hexbus_outbox (ordering_key, seq)
    WHERE next_attempt_at IS NOT NULL AND sent_at IS NULL AND dead_at IS NULL;
