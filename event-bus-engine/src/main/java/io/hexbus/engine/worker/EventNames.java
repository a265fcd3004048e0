package io.hexbus.engine.worker;

import io.hexbus.api.event.EventTypeRegistry;

/**
 * Checks an event name read from the wire against the grammar that {@link EventTypeRegistry} enforces for every
 * name it registers, and quotes one safely for a log line or a dead letter.
 */
final class EventNames {

    private static final int QUOTED_CHARACTERS = 60;

    private EventNames() {
    }

    /**
     * @param name a name read from a stream entry
     * @return true if some application could have registered it: it matches {@link EventTypeRegistry#NAME_PATTERN}
     */
    static boolean isValid(String name) {
        return EventTypeRegistry.isValidName(name);
    }

    /**
     * Quotes a name of any length and content in a bounded, printable form: its start, with characters outside
     * printable ASCII escaped, and its length when it was cut.
     *
     * @param name any string
     * @return e.g. {@code 'com.example.Foo'}, or {@code 'xxxx…' (20971520 characters)}
     */
    static String quote(String name) {
        StringBuilder quoted = new StringBuilder("'");
        int shown = Math.min(name.length(), QUOTED_CHARACTERS);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                quoted.append(c);
            } else {
                quoted.append(String.format("\\u%04x", (int) c));
            }
        }
        if (shown < name.length()) {
            return quoted.append("…' (").append(name.length()).append(" characters)").toString();
        }
        return quoted.append('\'').toString();
    }
}
