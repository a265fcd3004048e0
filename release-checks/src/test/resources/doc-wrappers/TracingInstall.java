import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.opentelemetry.HexbusTracing;
import io.opentelemetry.api.GlobalOpenTelemetry;

/** Installing the tracing at start-up (docs/tracing.md, "Add it"). */
class TracingInstall {

    void start(DomainEventsProcessor processor) {
        // fragment
    }
}
