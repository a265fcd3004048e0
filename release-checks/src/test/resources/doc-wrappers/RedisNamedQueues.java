import io.hexbus.api.admin.QueueStats;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.transport.QueueWorker;
import io.hexbus.redis.RedisConnectionSettings;
import io.hexbus.redis.RedisQueueSettings;
import io.hexbus.redis.RedisTransport;
import io.hexbus.redis.WorkerQueues;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named queues and worker sets on the Redis transport (docs/scheduling.md, "Named queues and priorities"). */
class RedisNamedQueues {

    void compose(DomainEventsProcessor processor) {
        // fragment
    }
}
