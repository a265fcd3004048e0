package io.hexbus.redis;

import io.hexbus.codec.DecodedEvent;
import io.hexbus.codec.EventCodec;
import io.hexbus.codec.MalformedEventException;
import io.hexbus.codec.NewerEventVersionException;
import io.hexbus.engine.ErrorText;
import io.hexbus.engine.backend.EnvelopeReader;

/** The engine's {@link EnvelopeReader} over the transport's {@link EventCodec}. Thread-safe, as the codec is. */
final class CodecEnvelopeReader implements EnvelopeReader {

    private final EventCodec codec;

    CodecEnvelopeReader(EventCodec codec) {
        this.codec = codec;
    }

    @Override
    public Read read(String eventName, String eventId, String envelope) {
        try {
            DecodedEvent read = codec.readRouted(eventName, eventId, envelope);
            return new Event(read.event(), read.traceContext());
        } catch (NewerEventVersionException e) {
            return new NewerVersion(e.getMessage(), e.entryVersion(), e.readerVersion());
        } catch (MalformedEventException e) {
            return new Malformed(e.summary(), ErrorText.describe(e));
        }
    }

    @Override
    public int maxBytes() {
        return codec.maxBytes();
    }
}
