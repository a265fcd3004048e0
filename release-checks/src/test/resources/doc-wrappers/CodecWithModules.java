import com.fasterxml.jackson.databind.Module;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.codec.EventCodec;
import io.hexbus.inmemory.InMemoryEventBus;
import io.hexbus.inmemory.InMemoryEventBusSettings;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;

import java.time.Clock;
import java.util.Currency;

/** One codec, with the application's Jackson modules, shared by its transports (docs/evolving-events.md). */
class CodecWithModules {

    abstract static class CurrencyMixIn {
    }

    void compose(DomainEventsProcessor processor, Module moneyModule, RedisConnectionSettings connection) {
        // fragment
    }
}
