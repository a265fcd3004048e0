import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.transport.QueuedTransport;
import io.hexbus.codec.EventCodec;
import io.hexbus.outbox.JdbcUnitOfWork;
import io.hexbus.outbox.OutboxEventBus;
import io.hexbus.outbox.OutboxRelay;
import io.hexbus.outbox.OutboxRelaySettings;
import io.hexbus.outbox.OutboxSchema;

import javax.sql.DataSource;
import java.time.Clock;

/** A composition root that puts the outbox between the use cases and a queued transport (docs/outbox.md). */
class OutboxCompositionRoot {

    void compose(DataSource dataSource, EventCodec codec, QueuedTransport transport) {
        // fragment
    }
}
