-- The transactional outbox (docs/outbox.md). One row per event published inside a unit of work, inserted in the
-- use case's transaction; the relay forwards the committed rows to the transport and marks them sent.

CREATE TABLE hexbus_outbox (
    -- Insertion order. Per ordering key it is also commit order: the publisher takes a transaction lock on the key
    -- before it inserts, so a second transaction of the same key gets its seq only after the first committed.
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        uuid        NOT NULL,
    event_name      text        NOT NULL,
    ordering_key    text        NOT NULL,
    -- The codec's JSON envelope, as the transports carry it.
    envelope        text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Set when the transport accepted the row (the relay's publishAll returned); kept for the retention, then
    -- deleted. While it is kept, an event id published again is a DUPLICATE.
    sent_at         timestamptz,
    -- Set when the row can never be forwarded (it no longer decodes, the transport refuses it): kept, with
    -- last_error, until someone deals with it; it no longer holds back its key.
    dead_at         timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_error      text,
    CONSTRAINT hexbus_outbox_event_id_key UNIQUE (event_id)
);

-- The relay's queue: what is waiting, in order.
CREATE INDEX hexbus_outbox_waiting ON hexbus_outbox (seq) WHERE sent_at IS NULL AND dead_at IS NULL;
-- Per key, what is waiting: whether an earlier row of a key still waits.
CREATE INDEX hexbus_outbox_waiting_key ON hexbus_outbox (ordering_key, seq) WHERE sent_at IS NULL AND dead_at IS NULL;
-- The retention's clean-up of sent rows.
CREATE INDEX hexbus_outbox_sent ON hexbus_outbox (sent_at) WHERE sent_at IS NOT NULL;
