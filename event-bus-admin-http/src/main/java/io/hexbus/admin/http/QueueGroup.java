package io.hexbus.admin.http;

import io.hexbus.api.admin.QueueAdmin;
import io.hexbus.api.admin.QueueStats;

/**
 * The consumer group's name, which never changes while the transport lives: read from the queue's statistics once,
 * at the first that succeeds (or handed over by a route that read them anyway), then kept. On Kafka a statistics read
 * reads lag, worker reports and the whole dead-letter topic, too much to repeat for a name on every call.
 * Thread-safe: two first calls at once may both read it, harmlessly.
 */
final class QueueGroup {

    private final QueueAdmin admin;
    private volatile String name;

    QueueGroup(QueueAdmin admin) {
        this.admin = admin;
    }

    /**
     * @return the group's name
     * @throws RuntimeException what the statistics read threw, while the name is not known yet (tried again on the
     *                          next call)
     */
    String name() {
        String known = name;
        return known != null ? known : remember(admin.stats());
    }

    /**
     * @param stats statistics just read from the queue
     * @return their group's name, now kept
     */
    String remember(QueueStats stats) {
        name = stats.group();
        return stats.group();
    }
}
