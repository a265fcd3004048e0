import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.engine.backend.EnvelopeReader;
import io.hexbus.engine.backend.QueueBackend;
import io.hexbus.engine.worker.EngineSettings;
import io.hexbus.engine.worker.EngineWorker;

/** A transport's startWorker(): the engine's worker on its backend (docs/writing-a-transport.md). */
class StartingAnEngineWorker {

    EngineWorker startWorker(QueueBackend backend, EnvelopeReader reader, DomainEventsProcessor processor) {
        // fragment
        return worker;
    }
}
