package io.hexbus.redis;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names workers uniquely per incarnation (host, process, random suffix), so that a restarted worker
 * never inherits, and so never acknowledges, what its previous incarnation held.
 */
final class ConsumerNames {

    /**
     * The consumer that owns the entries waiting for a retry: no worker's, so a takeover scan passes them by.
     * A colon is never part of a host name, so no worker is ever named so.
     */
    static final String RETRY_WAITING = "hexbus:retry-waiting";

    private ConsumerNames() {
    }

    static String next() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        long pid = ManagementFactory.getRuntimeMXBean().getPid();
        return host + "-" + pid + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL, 36);
    }
}
