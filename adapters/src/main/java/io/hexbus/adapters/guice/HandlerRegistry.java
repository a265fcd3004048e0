package io.hexbus.adapters.guice;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Registration;
import io.hexbus.api.handling.RetryPolicy;
import io.hexbus.api.handling.Subscription;
import io.hexbus.api.handling.SubscriptionOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers the handlers of every feature module with the application's {@link DomainEventsProcessor}, once,
 * at start, and logs each subscription with its event name, saying only what applies to how this process runs
 * handlers ({@link HandlerExecution}): retries and timeout on a queue's workers, neither in memory, and no line
 * per subscription (one summary) in a process that only publishes.
 *
 * <p>The registrars first register into a staging processor that shares the application's event type
 * registry (so every event type they name is known to the transports). The registry then copies each offered
 * subscription into the application's processor, unless {@link SubscriptionSettings#disabled()} names it:
 * a disabled subscription is never registered, so no transport delivers to it, and it is logged as disabled.
 * A subscription that kept {@link RetryPolicy#DEFAULT} gets {@link SubscriptionSettings#defaultRetryPolicy()}.
 * The copy is registered by event name and calls the offered subscription, which still checks the event's type
 * before its handler sees it.
 *
 * <p>Fails fast: a subscription name offered twice is a
 * {@link io.hexbus.api.handling.DuplicateSubscriptionException}, and a disabled name that no module offers
 * (a typo would otherwise leave the subscription on) is an {@link IllegalArgumentException}. Thread-safe.
 */
@Singleton
public final class HandlerRegistry {

    private static final Logger log = LoggerFactory.getLogger(HandlerRegistry.class);

    private final List<HandlerRegistrar> registrars;
    private final DomainEventsProcessor processor;
    private final SubscriptionSettings settings;
    private final Optional<HandlerExecution> execution;
    private List<Registration> registered;

    /**
     * Without saying how handlers run: each subscription is logged with its retries and timeout as configured.
     *
     * @param registrars every feature module's registrar, in the order their modules bound them
     * @param processor  the application's processor
     * @param settings   which subscriptions are disabled, and the default retry policy
     */
    public HandlerRegistry(Set<HandlerRegistrar> registrars, DomainEventsProcessor processor,
                           SubscriptionSettings settings) {
        this(registrars, processor, settings, Optional.empty());
    }

    /**
     * @param registrars every feature module's registrar, in the order their modules bound them
     * @param processor  the application's processor
     * @param settings   which subscriptions are disabled, and the default retry policy
     * @param execution  how this process runs handlers (bound by the transport module, or the composition root),
     *                   or empty: then each subscription is logged with its retries and timeout as configured
     */
    @Inject
    public HandlerRegistry(Set<HandlerRegistrar> registrars, DomainEventsProcessor processor,
                           SubscriptionSettings settings, Optional<HandlerExecution> execution) {
        this.registrars = List.copyOf(Objects.requireNonNull(registrars, "registrars")); // keeps binding order
        this.processor = Objects.requireNonNull(processor, "processor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.execution = Objects.requireNonNull(execution, "execution");
    }

    /**
     * Registers every enabled subscription. Idempotent: a second call returns the first call's registrations.
     *
     * @return the registrations made with the application's processor, in registration order
     * @throws io.hexbus.api.handling.DuplicateSubscriptionException if two registrars offer one subscription name
     * @throws IllegalArgumentException if a disabled subscription name is offered by no registrar
     */
    public synchronized List<Registration> registerAll() {
        if (registered != null) {
            return registered;
        }
        DomainEventsProcessor staging = new DomainEventsProcessor(processor.eventTypes());
        List<Subscription> offered = new ArrayList<>();
        for (HandlerRegistrar registrar : registrars) {
            registrar.register(staging).forEach(registration -> offered.add(registration.subscription()));
        }
        Set<String> unknown = new TreeSet<>(settings.disabled());
        offered.forEach(subscription -> unknown.remove(subscription.name()));
        if (!unknown.isEmpty()) {
            Set<String> names = new TreeSet<>();
            offered.forEach(subscription -> names.add(subscription.name()));
            throw new IllegalArgumentException("cannot disable " + unknown + ": no module offers such a subscription;"
                    + " the subscriptions are " + names);
        }
        List<Registration> made = new ArrayList<>();
        for (Subscription subscription : offered) {
            if (settings.disabled().contains(subscription.name())) {
                disabledLine(subscription).ifPresent(log::info);
                continue;
            }
            SubscriptionOptions options = optionsOf(subscription);
            made.add(processor.register(subscription.eventName(), subscription.name(), subscription::handle,
                    options));
            registeredLine(subscription, options).ifPresent(log::info);
        }
        int disabled = offered.size() - made.size();
        log.info(execution.isPresent() ? execution.get().summary(made.size(), disabled)
                : HandlerExecution.counts(made.size(), disabled));
        registered = List.copyOf(made);
        return registered;
    }

    // Without a HandlerExecution (no transport module said how it runs handlers) the options are shown as they are.
    private Optional<String> registeredLine(Subscription subscription, SubscriptionOptions options) {
        return execution.isPresent()
                ? execution.get().registeredLine(subscription.name(), subscription.eventName(), options)
                : Optional.of(HandlerExecution.withOptions(subscription.name(), subscription.eventName(), options));
    }

    private Optional<String> disabledLine(Subscription subscription) {
        return execution.isPresent()
                ? execution.get().disabledLine(subscription.name(), subscription.eventName())
                : Optional.of(HandlerExecution.disabled(subscription.name(), subscription.eventName()));
    }

    private SubscriptionOptions optionsOf(Subscription subscription) {
        SubscriptionOptions options = subscription.options();
        return options.retryPolicy().equals(RetryPolicy.DEFAULT)
                ? options.withRetryPolicy(settings.defaultRetryPolicy())
                : options;
    }
}
