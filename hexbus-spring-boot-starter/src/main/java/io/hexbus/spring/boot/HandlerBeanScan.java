package io.hexbus.spring.boot;

import io.hexbus.api.event.DomainEvent;
import io.hexbus.api.handling.EventHandler;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the handlers of one bean: its {@link HexbusHandler} methods, and the bean itself when it is an
 * {@link EventHandler}. Refuses, naming the bean, what has no stable subscription name or no event type.
 */
final class HandlerBeanScan {

    private final ConfigurableListableBeanFactory beanFactory;

    /**
     * @param beanFactory where bean definitions and annotations on factory methods are read
     */
    HandlerBeanScan(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * @param bean     an initialized bean
     * @param beanName its name
     * @return its handlers; empty for most beans
     * @throws IllegalStateException naming the bean and what is wrong
     */
    List<HandlerBean> handlersOf(Object bean, String beanName) {
        List<HandlerBean> found = new ArrayList<>();
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        Map<Method, HexbusHandler> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<HexbusHandler>) method ->
                        // On a @Bean method it names the EventHandler that method returns, not a handler method.
                        AnnotatedElementUtils.hasAnnotation(method, Bean.class) ? null
                                : AnnotatedElementUtils.findMergedAnnotation(method, HexbusHandler.class));
        methods.entrySet().stream()
                .sorted(Map.Entry.comparingByKey((a, b) -> a.toGenericString().compareTo(b.toGenericString())))
                .forEach(entry -> found.add(method(bean, beanName, entry.getKey(), entry.getValue())));
        if (bean instanceof EventHandler<?> handler) {
            found.add(eventHandler(handler, beanName));
        }
        return found;
    }

    private HandlerBean method(Object bean, String beanName, Method method, HexbusHandler annotation) {
        String origin = "bean '" + beanName + "', method " + method.getName();
        if (method.getParameterCount() != 1 || !DomainEvent.class.isAssignableFrom(method.getParameterTypes()[0])
                || method.getParameterTypes()[0] == DomainEvent.class) {
            throw new IllegalStateException("@HexbusHandler on " + origin + " needs exactly one parameter, the event"
                    + " type it handles (a DomainEvent record, not DomainEvent itself)");
        }
        if (method.getReturnType() != void.class) {
            throw new IllegalStateException("@HexbusHandler on " + origin + " must return void: a handler signals"
                    + " failure by throwing, and a returned value would be lost");
        }
        @SuppressWarnings("unchecked") // checked above
        Class<? extends DomainEvent> type = (Class<? extends DomainEvent>) method.getParameterTypes()[0];
        String subscription = annotation.subscription().isBlank()
                ? stableBeanName(beanName, origin) + "." + method.getName() : annotation.subscription().trim();
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        ReflectionUtils.makeAccessible(invocable);
        return new HandlerBean(subscription, origin, type, event -> invoke(invocable, bean, event), annotation);
    }

    @SuppressWarnings("unchecked") // the processor checks the event's type before the handler sees it
    private HandlerBean eventHandler(EventHandler<?> handler, String beanName) {
        String origin = "EventHandler bean '" + beanName + "'";
        HexbusHandler annotation = beanFactory.containsBean(beanName)
                ? beanFactory.findAnnotationOnBean(beanName, HexbusHandler.class) : null;
        Class<?> type = ResolvableType.forClass(ClassUtils.getUserClass(handler)).as(EventHandler.class)
                .resolveGeneric(0);
        if ((type == null || type == DomainEvent.class) && beanFactory.containsBeanDefinition(beanName)) {
            type = beanFactory.getMergedBeanDefinition(beanName).getResolvableType().as(EventHandler.class)
                    .resolveGeneric(0);
        }
        if (type == null || type == DomainEvent.class || !DomainEvent.class.isAssignableFrom(type)) {
            throw new IllegalStateException("cannot tell the event type of " + origin + ": declare it (or its @Bean"
                    + " method) as EventHandler<TheEvent>");
        }
        String subscription;
        if (annotation != null && !annotation.subscription().isBlank()) {
            subscription = annotation.subscription().trim();
        } else {
            Class<?> handlerClass = ClassUtils.getUserClass(handler);
            if (handlerClass.isSynthetic() || handlerClass.isHidden() || handlerClass.isAnonymousClass()
                    || handlerClass.isLocalClass()) {
                throw new IllegalStateException(origin + " is a lambda, anonymous or local class, which has no"
                        + " stable name to subscribe under: annotate it (or its @Bean method) with"
                        + " @HexbusHandler(subscription = \"...\")");
            }
            subscription = handlerClass.getName();
        }
        return new HandlerBean(subscription, origin, (Class<? extends DomainEvent>) type,
                (EventHandler<DomainEvent>) handler, annotation);
    }

    private static String stableBeanName(String beanName, String origin) {
        if (beanName.contains("#") || beanName.startsWith("(inner bean)")) {
            throw new IllegalStateException("@HexbusHandler on " + origin + ": the bean's name was generated by Spring"
                    + " and may change when beans are added, so it cannot name a subscription; name the bean, or"
                    + " give the annotation a subscription");
        }
        return beanName;
    }

    private static void invoke(Method method, Object bean, DomainEvent event) throws Exception {
        try {
            method.invoke(bean, event);
        } catch (InvocationTargetException thrown) {
            Throwable cause = thrown.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw thrown;
        }
    }
}
