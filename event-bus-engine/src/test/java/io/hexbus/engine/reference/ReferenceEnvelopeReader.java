package io.hexbus.engine.reference;

import io.hexbus.codec.DecodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.codec.MalformedEventException;
import io.hexbus.codec.NewerEventVersionException;
import io.hexbus.engine.ErrorText;
import io.hexbus.engine.backend.EnvelopeReader;

/**
 * Reads envelopes with the codec, as every JSON transport's reader would: what the codec cannot read is
 * {@link EnvelopeReader.Malformed}, an envelope of a newer version {@link EnvelopeReader.NewerVersion}. Thread-safe.
 */
final class ReferenceEnvelopeReader implements EnvelopeReader {

    private final EventCodec codec;

    ReferenceEnvelopeReader(EventCodec codec) {
        this.codec = codec;
    }

    @Override
    public Read read(String eventName, String eventId, String envelope) {
        try {
            DecodedEvent read = codec.readRouted(eventName, eventId, envelope);
            return new Event(read.event(), read.traceContext());
        } catch (MalformedEventException e) {
            return new Malformed(e.summary(), ErrorText.describe(e));
        } catch (NewerEventVersionException e) {
            return new NewerVersion(e.getMessage(), e.entryVersion(), e.readerVersion());
        }
    }

    @Override
    public int maxBytes() {
        return codec.maxBytes();
    }
}
