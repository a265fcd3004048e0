package io.hexbus.spring.boot;

import io.hexbus.api.handling.DomainEventsProcessor;
import io.hexbus.api.handling.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers handler beans ({@link HexbusHandler} methods and {@link io.hexbus.api.handling.EventHandler} beans) with
 * the context's {@link DomainEventsProcessor}: those of the singletons once all are created, before any queue
 * worker starts, and a bean created later (lazy, prototype) when it is; removes them all when the context closes.
 * A subscription that {@code hexbus.subscriptions.<name>.enabled=false} disables is left out; a name under
 * {@code hexbus.subscriptions} that no handler bean has fails the context (a typo would otherwise go unnoticed).
 * Thread-safe.
 */
public final class HexbusHandlerBeans implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton,
        DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HexbusHandlerBeans.class);

    private final Object lock = new Object();
    private final List<HandlerBean> pending = new ArrayList<>();
    private final List<Registration> registrations = new ArrayList<>();
    private final Set<String> subscriptions = new LinkedHashSet<>();
    private ConfigurableListableBeanFactory beanFactory;
    private boolean started;

    /** Created by {@link HexbusAutoConfiguration}. */
    public HexbusHandlerBeans() {
        // the bean factory comes through setBeanFactory
    }

    @Override
    public void setBeanFactory(BeanFactory factory) {
        this.beanFactory = (ConfigurableListableBeanFactory) factory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        List<HandlerBean> found = new HandlerBeanScan(beanFactory).handlersOf(bean, beanName);
        if (!found.isEmpty()) {
            synchronized (lock) {
                if (started) {
                    register(found);
                } else {
                    pending.addAll(found);
                }
            }
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        synchronized (lock) {
            started = true;
            register(pending);
            pending.clear();
            Set<String> unknown = new TreeSet<>(properties().subscriptions().keySet());
            unknown.removeAll(subscriptions);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("hexbus.subscriptions[" + unknown.iterator().next() + "]"
                        + " names no subscription of a handler bean; they are " + new TreeSet<>(subscriptions));
            }
        }
    }

    /**
     * @return the subscription names of the handler beans found so far, registered or disabled, in the order found
     */
    public Set<String> subscriptions() {
        synchronized (lock) {
            return Set.copyOf(subscriptions);
        }
    }

    /** Removes every registration this made, the last first. */
    @Override
    public void destroy() {
        synchronized (lock) {
            for (int i = registrations.size() - 1; i >= 0; i--) {
                registrations.get(i).remove();
            }
            registrations.clear();
        }
    }

    private void register(List<HandlerBean> handlers) {
        DomainEventsProcessor processor = beanFactory.getBean(DomainEventsProcessor.class);
        HexbusProperties properties = properties();
        for (HandlerBean handler : handlers) {
            subscriptions.add(handler.subscription());
            HexbusProperties.SubscriptionProperties settings = properties.subscriptions().get(handler.subscription());
            if (settings != null && !settings.enabled()) {
                log.info("Subscription {} ({}) is disabled by hexbus.subscriptions[{}].enabled=false",
                        handler.subscription(), handler.origin(), handler.subscription());
                continue;
            }
            try {
                registrations.add(processor.register(handler.eventType(), handler.subscription(), handler.handler(),
                        HandlerOptions.resolve(handler.subscription(), handler.annotation(), settings)));
            } catch (RuntimeException refused) {
                throw new IllegalStateException("cannot register " + handler.origin() + " as subscription '"
                        + handler.subscription() + "': " + refused.getMessage(), refused);
            }
        }
    }

    private HexbusProperties properties() {
        return beanFactory.getBean(HexbusProperties.class);
    }
}
