package io.hexbus.adapters.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.hexbus.api.publishing.EventBus;
import io.hexbus.api.scheduling.RecurringEvents;
import io.hexbus.scheduling.Scheduler;
import io.hexbus.scheduling.SchedulerSettings;

import java.time.Clock;
import java.util.Objects;

/**
 * Recurring events ({@code event-bus-scheduling}): one {@link Scheduler}, bound as the {@link RecurringEvents} port
 * feature modules register with, and the (possibly empty) set of {@link ScheduleRegistrar}s.
 *
 * <p>The scheduler publishes to the {@link TransportBus}, the transport's own bus, even when use cases publish to
 * the transactional outbox: a tick has no business transaction to commit with, and its derived id already makes N
 * instances' publications one event. The bus is looked up at the first tick, so creating the scheduler connects
 * nothing. No I/O.
 */
public final class SchedulingModule extends AbstractModule {

    private final SchedulerSettings settings;

    /** With the scheduler's defaults (catch up one day). */
    public SchedulingModule() {
        this(SchedulerSettings.defaults());
    }

    /**
     * @param settings the scheduler's catch-up bound, retries and close timeout
     */
    public SchedulingModule(SchedulerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), ScheduleRegistrar.class);
        bind(RecurringEvents.class).to(Scheduler.class);
    }

    @Provides
    @Singleton
    Scheduler scheduler(@TransportBus Provider<EventBus> transportBus) {
        EventBus lazy = events -> transportBus.get().publishAll(events);
        return new Scheduler(lazy, Clock.systemUTC(), settings);
    }
}
