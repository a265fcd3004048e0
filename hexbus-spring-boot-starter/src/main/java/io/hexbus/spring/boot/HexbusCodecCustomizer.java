package io.hexbus.spring.boot;

import io.hexbus.codec.EventCodec;

/**
 * Adjusts the application's {@link EventCodec} before it is built, e.g. adds the Jackson (2) modules of the types
 * events carry: declare one or more as beans; each is applied once, in bean order.
 */
@FunctionalInterface
public interface HexbusCodecCustomizer {

    /**
     * @param codec the builder of the codec every transport of this context shares
     */
    void customize(EventCodec.Builder codec);
}
