import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.codec.EventCodec;
import io.hexbus.engine.worker.EngineWorker;
import io.hexbus.rabbitmq.RabbitConnectionSettings;
import io.hexbus.rabbitmq.RabbitQueueSettings;
import io.hexbus.rabbitmq.RabbitTransport;
import io.hexbus.rabbitmq.RabbitWorkerSettings;

/** The composition root of a service on RabbitMQ (docs/rabbitmq-transport.md, "Configuration"). */
class RabbitCompositionRoot {

    void compose(DomainEventsProcessor processor) {
        // fragment
    }
}
