import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;

/** The composition root of a service on the Redis queue (README, "Transports and USE_QUEUE_EVENT_BUS"). */
class RedisCompositionRoot {

    void compose(DomainEventsProcessor processor) {
        // fragment
    }
}
