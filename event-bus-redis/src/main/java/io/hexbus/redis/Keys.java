package io.hexbus.redis;

/**
 * The key layout of one bus and one consumer group; every key starts with the prefix and so shares its
 * hash tag. See docs/redis-transport.md.
 */
final class Keys {

    /** The tag of the event stream in retry-set members and progress keys. */
    static final String MAIN = "m";
    /** The tag of the group's redelivery stream (dead letters sent back). */
    static final String REDELIVERY = "r";

    private final String prefix;
    private final String groupPrefix;
    private final String ratePrefix;
    private final String busGroupPrefix;

    /** The keys of the default queue, whose prefix is the bus's. */
    Keys(String prefix, String group) {
        this(prefix, group, prefix);
    }

    private Keys(String prefix, String group, String busPrefix) {
        this.prefix = prefix;
        this.groupPrefix = prefix + ":g:" + group;
        this.busGroupPrefix = busPrefix + ":g:" + group;
        this.ratePrefix = busGroupPrefix + ":rate:";
    }

    /**
     * The keys of a named queue: its own hash tag ({@link QueueNames#prefixOf}), except the rate-limit permits, which
     * stay the bus's: a subscription's limit holds across every worker of the group whatever queues each consumes.
     */
    static Keys ofQueue(String busPrefix, String queue, String group) {
        return new Keys(QueueNames.prefixOf(busPrefix, queue), group, busPrefix);
    }

    /**
     * The bus-wide registry of named queues (a set of queue names) under the default queue's prefix: every transport
     * adds the queues it routes to, so that every application's default worker and admin find them all.
     */
    String queueRegistry() {
        return prefix + ":queues";
    }

    String stream() {
        return prefix + ":stream";
    }

    String busStats() {
        return prefix + ":stats";
    }

    /** Delayed events not yet due: event id by due time (ms, Redis clock); see release-due-3.lua. */
    String scheduled() {
        return prefix + ":scheduled";
    }

    /** The stream fields of each delayed event not yet due, by event id; deleted when released. */
    String scheduledEnvelopes() {
        return prefix + ":scheduled-envelopes";
    }

    String dedupe(String eventId) {
        return dedupePrefix() + eventId;
    }

    String dedupePrefix() {
        return prefix + ":dedupe:";
    }

    String redelivery() {
        return groupPrefix + ":redeliver";
    }

    String streamOf(String tag) {
        return MAIN.equals(tag) ? stream() : redelivery();
    }

    String retrySet() {
        return groupPrefix + ":retry";
    }

    String groupStats() {
        return groupPrefix + ":stats";
    }

    /** How many handlers each worker of the group runs now; see report-active-1.lua. */
    String activeHandlers() {
        return groupPrefix + ":active";
    }

    /** A rate-limited subscription's permits in its window, under the bus's prefix; see acquire-permit-1.lua. */
    String ratePermits(String subscription) {
        return ratePrefix + subscription;
    }

    /**
     * The group's totals per subscription and counter, under the bus's prefix whatever the queue: a worker over
     * several queues stores its report once; see report-activity-4.lua.
     */
    String subscriptionCounts() {
        return busGroupPrefix + ":subscription-counts";
    }

    /** The live workers' handler-duration windows, under the bus's prefix as {@link #subscriptionCounts()}. */
    String subscriptionWindows() {
        return busGroupPrefix + ":subscription-windows";
    }

    /** The deadlines of {@link #subscriptionWindows()}, worker by valid-until: lapsed workers found without a scan. */
    String subscriptionDeadlines() {
        return busGroupPrefix + ":subscription-deadlines";
    }

    /** The number of the last report whose counts were added, for one worker, under the bus's prefix. */
    String reportSequence(String consumer) {
        return busGroupPrefix + ":report-sequence:" + consumer;
    }

    /** The redelivery entry of a retried dead letter, by event id; see includes/redeliver-dead-letter.lua. */
    String redelivered(String eventId) {
        return redeliveredPrefix() + eventId;
    }

    String redeliveredPrefix() {
        return groupPrefix + ":redelivered:";
    }

    String progressPrefix() {
        return groupPrefix + ":progress:";
    }

    String progress(String tag, String entryId) {
        return progressPrefix() + member(tag, entryId);
    }

    static String member(String tag, String entryId) {
        return tag + "|" + entryId;
    }

    /** @return the tag of a {@link #member}: {@link #MAIN} or {@link #REDELIVERY} */
    static String tagOf(String member) {
        return member.substring(0, member.indexOf('|'));
    }

    /** @return the stream entry id of a {@link #member} */
    static String entryIdOf(String member) {
        return member.substring(member.indexOf('|') + 1);
    }

    String deadLetterPrefix() {
        return groupPrefix + ":dlq:";
    }

    String deadLetter(String eventId) {
        return deadLetterPrefix() + eventId;
    }

    String deadLetterIndex() {
        return groupPrefix + ":dlq-index";
    }

    /** The ids one retryAll run retries: the index as it was when the run started. */
    String deadLetterRetryRun(String runId) {
        return groupPrefix + ":dlq-retry-all:" + runId;
    }
}
