package io.hexbus.api.admin;

/**
 * The counters of one consumer group, read at one moment. Immutable.
 *
 * @param group          the consumer group (one per application)
 * @param waiting        events published but not yet taken by a worker of this group (the lag)
 * @param active         events whose handler is running now (as BullMQ and Asynq count "active"); a queued
 *                       transport may learn this from its workers' reports, a second or so late
 * @param reserved       events a worker holds while no handler of them runs: read ahead of its handler
 *                       slots, waiting for their acknowledgement to be written, or held by a worker that
 *                       stopped until another takes them over (Celery's "reserved")
 * @param retryScheduled events waiting for the backoff before a retry, or postponed by a subscription's rate limit
 * @param scheduled      delayed events published to be delivered later and not yet due, on the transport as a
 *                       whole (not per group: a delayed event reaches every group when it is due); 0 on a
 *                       transport that cannot delay
 * @param completed      events finished by every subscription, since the group was created
 * @param deadLettered   events in the dead-letter queue now
 * @param failedAttempts handler attempts that failed, since the group was created
 * @param takeovers      events taken over from a worker that stopped renewing its lease (not counted as
 *                       attempts)
 * @param unhandled      events with no subscription in this application, acknowledged and skipped
 */
public record QueueStats(String group, long waiting, long active, long reserved, long retryScheduled,
                         long scheduled, long completed, long deadLettered, long failedAttempts, long takeovers,
                         long unhandled) {
}
