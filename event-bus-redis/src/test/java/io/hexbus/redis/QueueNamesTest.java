package io.hexbus.redis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Queue names and each queue's key prefix, without a server. */
class QueueNamesTest {

    @Test
    void theDefaultQueueKeepsTheConfiguredPrefix() {
        assertEquals("hexbus:{domain-events}", QueueNames.prefixOf("hexbus:{domain-events}", "default"));
    }

    @Test
    void aNamedQueueExtendsTheHashTag() {
        assertEquals("hexbus:{domain-events.mail}", QueueNames.prefixOf("hexbus:{domain-events}", "mail"));
        assertEquals("{bus.export_2}:events", QueueNames.prefixOf("{bus}:events", "export_2"));
    }

    @Test
    void aBadQueueNameIsRefusedNamingIt() {
        for (String name : List.of("", "Mail", "a.b", "a b", "{x}", "x".repeat(65), "é")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> QueueNames.check(name));
            assertEquals("queue name '" + name + "' is not allowed: use 1 to 64 lower-case letters, digits, '-' or"
                    + " '_'", refused.getMessage());
        }
        assertEquals("x".repeat(64), QueueNames.check("x".repeat(64)));
    }

    @Test
    void routesToABadQueueNameAreRefused() {
        RedisQueueSettings defaults = RedisQueueSettings.defaults("app");
        assertThrows(IllegalArgumentException.class, () -> defaults.withRoutes(java.util.Map.of("a.b", "Mail")));
    }

    @Test
    void routesListTheQueuesDefaultFirst() {
        RedisQueueSettings routed = RedisQueueSettings.defaults("app")
                .withRoutes(java.util.Map.of("a.x", "mail", "a.y", "export", "a.z", "mail"));
        assertEquals(List.of("default", "export", "mail"), routed.queues());
        assertEquals("mail", routed.queueOf("a.x"));
        assertEquals("default", routed.queueOf("a.unrouted"));
    }
}
