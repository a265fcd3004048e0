package io.hexbus.kafka;

import io.hexbus.engine.worker.EngineSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * How the Kafka transport's workers work: the engine's knobs, the consumer group's session timeout, and how far a
 * worker reads ahead while it recovers an earlier owner's records. Immutable.
 *
 * @param engine         the engine's settings (handler slots, read-ahead, fetch wait, shutdown deadline...); its
 *                       visibility timeout only paces the engine's renewals, which cost nothing on Kafka: a worker's
 *                       partitions are taken over when the group evicts it, after {@code sessionTimeout}
 * @param sessionTimeout the consumer group's {@code session.timeout.ms}: how long a worker that stopped heartbeating
 *                       keeps its partitions, and how long its report counts in the statistics; within the broker's
 *                       bounds ({@code group.min.session.timeout.ms}, 6 s by default, to
 *                       {@code group.max.session.timeout.ms})
 * @param recoveryReadAhead how many records a worker holds beyond its handler slots while records an earlier owner
 *                       held are left to settle (docs/kafka-transport.md, "Takeovers"): instead of the engine's
 *                       read-ahead, so that a record whose handler kills worker after worker takes at most these few
 *                       toward the most takeovers with it; at least 0
 */
public record KafkaWorkerSettings(EngineSettings engine, Duration sessionTimeout, int recoveryReadAhead) {

    /** The read-ahead while recovering by default: {@value}, the engine's own default read-ahead (as on Redis). */
    public static final int DEFAULT_RECOVERY_READ_AHEAD = 64;

    /**
     * Checks the components.
     *
     * @param engine            the engine's settings
     * @param sessionTimeout    the group's session timeout, positive
     * @param recoveryReadAhead the read-ahead while recovering, at least 0
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if {@code sessionTimeout} is not positive or over {@link Integer#MAX_VALUE} ms,
     *                                  or {@code recoveryReadAhead} is negative
     */
    public KafkaWorkerSettings {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (sessionTimeout.isZero() || sessionTimeout.isNegative() || sessionTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sessionTimeout must be positive and fit in an int of ms, got "
                    + sessionTimeout);
        }
        if (recoveryReadAhead < 0) {
            throw new IllegalArgumentException("recoveryReadAhead must be 0 or more, got " + recoveryReadAhead);
        }
    }

    /**
     * The settings with the default read-ahead while recovering ({@value #DEFAULT_RECOVERY_READ_AHEAD}).
     *
     * @param engine         the engine's settings
     * @param sessionTimeout the group's session timeout, positive
     */
    public KafkaWorkerSettings(EngineSettings engine, Duration sessionTimeout) {
        this(engine, sessionTimeout, DEFAULT_RECOVERY_READ_AHEAD);
    }

    /** The engine's read-ahead by default on Kafka: {@value}. */
    public static final int DEFAULT_READ_AHEAD = 2_048;

    /**
     * The defaults. The read-ahead is larger than the engine's: a record is held from its fetch through the commit of
     * its takeover ledger, its handler and the write of its handled id, several round trips, so a worker needs many
     * in flight to keep its handlers busy (docs/benchmarks.md, "Kafka"); a ledger's runs keep that many records to a
     * few characters of one partition's commit, and a worker that took over an earlier owner's records reads only
     * {@link #recoveryReadAhead} ahead until they are settled, so a poison record that kills worker after worker takes
     * only those few with it toward the most takeovers (docs/kafka-transport.md, "Takeovers"). With slow
     * handlers, lower it: a revocation waits up to the shutdown deadline for the engine to run what it holds.
     *
     * @return the engine's defaults ({@link EngineSettings#defaults()}) with a read-ahead of {@value #DEFAULT_READ_AHEAD},
     *         a session timeout of 45 s, Kafka's own, and a read-ahead while recovering of
     *         {@value #DEFAULT_RECOVERY_READ_AHEAD}
     */
    public static KafkaWorkerSettings defaults() {
        return new KafkaWorkerSettings(EngineSettings.defaults().withReadAhead(DEFAULT_READ_AHEAD),
                Duration.ofSeconds(45));
    }

    /**
     * @param value the engine's settings
     * @return a copy with them
     */
    public KafkaWorkerSettings withEngine(EngineSettings value) {
        return new KafkaWorkerSettings(value, sessionTimeout, recoveryReadAhead);
    }

    /**
     * @param value the group's session timeout
     * @return a copy with it
     */
    public KafkaWorkerSettings withSessionTimeout(Duration value) {
        return new KafkaWorkerSettings(engine, value, recoveryReadAhead);
    }

    /**
     * @param value the read-ahead while recovering an earlier owner's records, at least 0
     * @return a copy with it
     */
    public KafkaWorkerSettings withRecoveryReadAhead(int value) {
        return new KafkaWorkerSettings(engine, sessionTimeout, value);
    }

    /** @return the most records a worker holds while recovering: its handler slots and its read-ahead then */
    int recoveryHold() {
        return engine.concurrency() + recoveryReadAhead;
    }
}
