package io.hexbus.adapters.sample;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import io.hexbus.api.transaction.UnitOfWork;
import io.hexbus.sample.identity.application.InMemoryUserAccounts;
import io.hexbus.sample.identity.application.UserAccounts;
import io.hexbus.sample.membership.application.Businesses;
import io.hexbus.sample.membership.application.InMemoryBusinesses;
import io.hexbus.sample.payments.application.InMemoryPayments;
import io.hexbus.sample.payments.application.Payments;
import io.hexbus.sample.shared.Links;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Objects;

/**
 * What the sample's use cases share, and the contexts without handlers of their own: the clock, where links in
 * mails point, the {@link UnitOfWork} every use case runs in ({@link UnitOfWork#direct()} unless a module sets
 * another through {@code OptionalBinder}: the outbox's, on a database), and the in-memory stores of identity,
 * membership and payments.
 */
public final class SampleContextsModule extends AbstractModule {

    private final Links links;
    private final Clock clock;

    /**
     * @param links where the links in the sample's mails point
     * @param clock the use cases' clock
     */
    public SampleContextsModule(Links links, Clock clock) {
        this.links = Objects.requireNonNull(links, "links");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void configure() {
        bind(Links.class).toInstance(links);
        bind(Clock.class).toInstance(clock);
        OptionalBinder.newOptionalBinder(binder(), UnitOfWork.class).setDefault().toInstance(UnitOfWork.direct());
        bind(InMemoryUserAccounts.class).in(Singleton.class);
        bind(UserAccounts.class).to(InMemoryUserAccounts.class);
        bind(InMemoryBusinesses.class).in(Singleton.class);
        bind(Businesses.class).to(InMemoryBusinesses.class);
        bind(InMemoryPayments.class).in(Singleton.class);
        bind(Payments.class).to(InMemoryPayments.class);
    }
}
