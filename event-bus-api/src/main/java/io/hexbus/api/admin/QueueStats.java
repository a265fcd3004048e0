package io.hexbus.api.admin;

/**
 * The counters of one consumer group, read at one moment. Immutable.
 *
 * @param group          the consumer group (one per application)
 * @param waiting        events published but not yet taken by a worker of this group (the lag)
 * @param active         events taken by a worker and not finished: being handled, or held by a worker
 *                       that died and waiting to be taken over
 * @param retryScheduled events waiting for the backoff before a retry
 * @param completed      events finished by every subscription, since the group was created
 * @param deadLettered   events in the dead-letter queue now
 * @param failedAttempts handler attempts that failed, since the group was created
 * @param takeovers      events taken over from a worker that stopped renewing its lease (not counted as
 *                       attempts)
 * @param unhandled      events with no subscription in this application, acknowledged and skipped
 */
public record QueueStats(String group, long waiting, long active, long retryScheduled, long completed,
                         long deadLettered, long failedAttempts, long takeovers, long unhandled) {
}
