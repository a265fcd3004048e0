package io.hexbus.api.event;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The explicit, two-way map between event names and event types.
 *
 * <p>It is the only way a name read from a queue becomes a Java type: a name that was not registered
 * resolves to nothing, and no class name is ever read from the wire. A type is registered either
 * explicitly with {@link #register(String, Class)}, or by its {@link EventName} annotation, which
 * {@link #register(Class)} and {@link #nameOf(Class)} read.
 *
 * <p>One name maps to one type and one type to one name. Registering the same pair again is a no-op;
 * any other overlap is refused with a {@link DuplicateEventTypeException}. Thread-safe: types may be
 * registered while other threads resolve names.
 */
public final class EventTypeRegistry {

    /** What an event name looks like: letters, digits and {@code . _ - : /}, at most 200 characters. */
    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}";

    private static final Pattern VALID_NAME = Pattern.compile(NAME_PATTERN);

    private final Map<String, Class<? extends DomainEvent>> typesByName = new ConcurrentHashMap<>();
    private final Map<Class<? extends DomainEvent>, String> namesByType = new ConcurrentHashMap<>();

    /**
     * Registers a type under the name its {@link EventName} annotation gives.
     *
     * @param type the event type
     * @return this registry, for chaining
     * @throws UnknownEventTypeException if the type has no {@link EventName} annotation
     * @throws DuplicateEventTypeException if the name or the type is already registered otherwise
     * @throws IllegalArgumentException if the annotated name does not match {@link #NAME_PATTERN}
     */
    public EventTypeRegistry register(Class<? extends DomainEvent> type) {
        Objects.requireNonNull(type, "type");
        EventName annotation = type.getAnnotation(EventName.class);
        if (annotation == null) {
            throw new UnknownEventTypeException(type.getName() + " has no @EventName annotation: annotate it"
                    + " or register it with register(name, type)");
        }
        return register(annotation.value(), type);
    }

    /**
     * Registers a type under a name.
     *
     * @param name the event name, matching {@link #NAME_PATTERN}
     * @param type the event type
     * @return this registry, for chaining
     * @throws DuplicateEventTypeException if the name or the type is already registered otherwise
     * @throws IllegalArgumentException if the name does not match {@link #NAME_PATTERN}
     */
    public synchronized EventTypeRegistry register(String name, Class<? extends DomainEvent> type) {
        requireValidName(name);
        Objects.requireNonNull(type, "type");
        Class<? extends DomainEvent> existingType = typesByName.get(name);
        String existingName = namesByType.get(type);
        if (type.equals(existingType) && name.equals(existingName)) {
            return this;
        }
        if (existingType != null) {
            throw new DuplicateEventTypeException("event name '" + name + "' is already registered for "
                    + existingType.getName() + ", cannot register it for " + type.getName());
        }
        if (existingName != null) {
            throw new DuplicateEventTypeException(type.getName() + " is already registered as '"
                    + existingName + "', cannot register it as '" + name + "' too");
        }
        // Name first: a concurrent typeOf(name) may see the type before nameOf(type) does, never a half pair
        // that contradicts the other map.
        typesByName.put(name, type);
        namesByType.put(type, name);
        return this;
    }

    /**
     * The name of an event type, registering the type by its {@link EventName} annotation on first use.
     *
     * @param type the event type
     * @return its name; never null
     * @throws UnknownEventTypeException if the type is neither registered nor annotated
     */
    public String nameOf(Class<? extends DomainEvent> type) {
        String name = namesByType.get(type);
        if (name != null) {
            return name;
        }
        if (type.getAnnotation(EventName.class) == null) {
            throw new UnknownEventTypeException("event type " + type.getName() + " is not registered: annotate it"
                    + " with @EventName or register it with EventTypeRegistry.register(name, type)");
        }
        register(type);
        return namesByType.get(type);
    }

    /**
     * The type registered under a name.
     *
     * @param name an event name, typically read from the wire
     * @return the type, or empty if the name was never registered
     */
    public Optional<Class<? extends DomainEvent>> typeOf(String name) {
        return Optional.ofNullable(typesByName.get(name));
    }

    /**
     * The type registered under a name, or a clear error.
     *
     * @param name an event name
     * @return the type; never null
     * @throws UnknownEventTypeException naming the unknown name and the names that are registered
     */
    public Class<? extends DomainEvent> requireTypeOf(String name) {
        Class<? extends DomainEvent> type = typesByName.get(name);
        if (type == null) {
            throw new UnknownEventTypeException("unknown event name '" + name + "'; registered names: " + names());
        }
        return type;
    }

    /**
     * The registered names, sorted.
     *
     * @return an immutable snapshot
     */
    public Set<String> names() {
        return Set.copyOf(new TreeSet<>(typesByName.keySet()));
    }

    /**
     * Checks an event name.
     *
     * @param name the name to check
     * @return the name
     * @throws IllegalArgumentException if it does not match {@link #NAME_PATTERN}, quoting it
     */
    public static String requireValidName(String name) {
        Objects.requireNonNull(name, "event name");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid event name '" + name + "': it must match " + NAME_PATTERN);
        }
        return name;
    }

    /**
     * Tells whether a name could have been registered, without throwing: for names read from the wire, which may
     * be of any length or content (the grammar bounds the length, so a long name fails at once).
     *
     * @param name the name to check; must not be null
     * @return true if it matches {@link #NAME_PATTERN}
     */
    public static boolean isValidName(String name) {
        return VALID_NAME.matcher(name).matches();
    }
}
