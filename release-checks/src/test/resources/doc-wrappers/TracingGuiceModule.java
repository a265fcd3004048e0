import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.hexbus.api.event.EventTypeRegistry;
import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.opentelemetry.HexbusTracing;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.inject.Singleton;

/** The tracing installed where a Guice application provides its processor (docs/tracing.md, "Add it"). */
class TracingGuiceModule extends AbstractModule {

    // fragment
}
