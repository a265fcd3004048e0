package io.hexbus.redis;

import java.util.Map;

/**
 * One stream entry handed to a worker, with the progress its group recorded on earlier attempts.
 *
 * @param tag       {@link Keys#MAIN} or {@link Keys#REDELIVERY}: the stream it came from
 * @param entryId   the stream entry id
 * @param fields    the entry's fields: {@code i} event id, {@code n} name, {@code e} envelope, and on
 *                  redelivery {@code s} the subscriptions to run
 * @param progress  the progress hash: done, dead, attempts and due time per subscription
 * @param redisNow  the Redis clock when it was claimed for a retry, in milliseconds, or -1 otherwise
 */
record Delivery(String tag, String entryId, Map<String, String> fields, Map<String, String> progress,
                long redisNow) {

    String member() {
        return Keys.member(tag, entryId);
    }
}
