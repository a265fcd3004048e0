package io.hexbus.api.event;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
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
 *
 * <p>Each type has a {@linkplain EventName#version() version}, the shape of its payload, which the codec writes
 * in every envelope; beside it the registry keeps the {@link EventUpcaster}s that bring older versions of an
 * event's payload up to the current one:
 *
 * <pre>{@code
 * eventTypes.register(OrderPlaced.class)          // @EventName(value = "shop.order-placed", version = 2)
 *           .upcaster("shop.order-placed", 1, payload -> {
 *               payload.put("total", Map.of("amount", payload.remove("amount"), "currency", "EUR"));
 *               return payload;
 *           });
 * }</pre>
 */
public final class EventTypeRegistry {

    /** What an event name looks like: letters, digits and {@code . _ - : /}, at most 200 characters. */
    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}";

    private static final Pattern VALID_NAME = Pattern.compile(NAME_PATTERN);

    private final Map<String, Class<? extends DomainEvent>> typesByName = new ConcurrentHashMap<>();
    private final Map<Class<? extends DomainEvent>, String> namesByType = new ConcurrentHashMap<>();
    private final Map<String, Integer> versionsByName = new ConcurrentHashMap<>();
    // Keyed by name + '@' + source version.
    private final Map<String, EventUpcaster> upcasters = new ConcurrentHashMap<>();

    /**
     * Registers a type under the name its {@link EventName} annotation gives.
     *
     * @param type the event type
     * @return this registry, for chaining
     * @throws UnknownEventTypeException if the type has no {@link EventName} annotation
     * @throws DuplicateEventTypeException if the name or the type is already registered otherwise
     * @throws IllegalArgumentException if the annotated name does not match {@link #NAME_PATTERN}, or the
     *                                  version is below 1
     */
    public EventTypeRegistry register(Class<? extends DomainEvent> type) {
        Objects.requireNonNull(type, "type");
        EventName annotation = type.getAnnotation(EventName.class);
        if (annotation == null) {
            throw new UnknownEventTypeException(type.getName() + " has no @EventName annotation: annotate it"
                    + " or register it with register(name, type)");
        }
        return register(annotation.value(), annotation.version(), type);
    }

    /**
     * Registers a type under a name, at the version its {@link EventName} annotation gives, or 1 if it has none.
     *
     * @param name the event name, matching {@link #NAME_PATTERN}
     * @param type the event type
     * @return this registry, for chaining
     * @throws DuplicateEventTypeException if the name or the type is already registered otherwise
     * @throws IllegalArgumentException if the name does not match {@link #NAME_PATTERN}
     */
    public EventTypeRegistry register(String name, Class<? extends DomainEvent> type) {
        Objects.requireNonNull(type, "type");
        EventName annotation = type.getAnnotation(EventName.class);
        return register(name, annotation == null ? 1 : annotation.version(), type);
    }

    /**
     * Registers a type under a name, at a version.
     *
     * @param name    the event name, matching {@link #NAME_PATTERN}
     * @param version the version of its payload's shape, at least 1
     * @param type    the event type
     * @return this registry, for chaining
     * @throws DuplicateEventTypeException if the name or the type is already registered otherwise, or at
     *                                     another version
     * @throws IllegalArgumentException if the name does not match {@link #NAME_PATTERN} or the version is
     *                                  below 1
     */
    public synchronized EventTypeRegistry register(String name, int version, Class<? extends DomainEvent> type) {
        requireValidName(name);
        Objects.requireNonNull(type, "type");
        if (version < 1) {
            throw new IllegalArgumentException("version of event '" + name + "' must be at least 1, got " + version);
        }
        Class<? extends DomainEvent> existingType = typesByName.get(name);
        String existingName = namesByType.get(type);
        if (type.equals(existingType) && name.equals(existingName)) {
            int existingVersion = versionsByName.get(name);
            if (existingVersion != version) {
                throw new DuplicateEventTypeException("event '" + name + "' is already registered at version "
                        + existingVersion + ", cannot register it at version " + version + " too");
            }
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
        versionsByName.put(name, version);
        typesByName.put(name, type);
        namesByType.put(type, name);
        return this;
    }

    /**
     * Registers the upcaster that turns version {@code fromVersion} of an event's payload into version
     * {@code fromVersion + 1}. The event type need not be registered yet.
     *
     * @param name        the event name
     * @param fromVersion the version it reads, at least 1
     * @param upcaster    the upcaster
     * @return this registry, for chaining
     * @throws DuplicateEventTypeException if an upcaster from that version of that name is already registered
     * @throws IllegalArgumentException if the name does not match {@link #NAME_PATTERN} or the version is
     *                                  below 1
     */
    public EventTypeRegistry upcaster(String name, int fromVersion, EventUpcaster upcaster) {
        requireValidName(name);
        Objects.requireNonNull(upcaster, "upcaster");
        if (fromVersion < 1) {
            throw new IllegalArgumentException("an upcaster of '" + name + "' reads a version of at least 1, got "
                    + fromVersion);
        }
        if (upcasters.putIfAbsent(name + '@' + fromVersion, upcaster) != null) {
            throw new DuplicateEventTypeException("an upcaster from version " + fromVersion + " of '" + name
                    + "' is already registered");
        }
        return this;
    }

    /**
     * The upcaster from one version of an event's payload to the next.
     *
     * @param name        the event name
     * @param fromVersion the version it reads
     * @return the upcaster, or empty if none was registered
     */
    public Optional<EventUpcaster> upcasterFrom(String name, int fromVersion) {
        return Optional.ofNullable(upcasters.get(name + '@' + fromVersion));
    }

    /**
     * The version of an event type's payload, registering the type by its {@link EventName} annotation on
     * first use.
     *
     * @param type the event type
     * @return its version, at least 1
     * @throws UnknownEventTypeException if the type is neither registered nor annotated
     */
    public int versionOf(Class<? extends DomainEvent> type) {
        return versionsByName.get(nameOf(type));
    }

    /**
     * The version of the payload registered under a name: the version this service reads and writes.
     *
     * @param name an event name
     * @return its version, or empty if the name was never registered
     */
    public OptionalInt versionOf(String name) {
        Integer version = versionsByName.get(name);
        return version == null ? OptionalInt.empty() : OptionalInt.of(version);
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
