package io.hexbus.redis;

/** Redis stream entry ids ({@code <milliseconds>-<sequence>}), ordered as Redis orders them. */
final class StreamIds {

    private StreamIds() {
    }

    /**
     * @return negative, zero or positive as {@code a} is before, equal to or after {@code b} in a stream
     * @throws IllegalArgumentException if either is not a full stream id
     */
    static int compare(String a, String b) {
        int byTime = Long.compareUnsigned(part(a, true), part(b, true));
        return byTime != 0 ? byTime : Long.compareUnsigned(part(a, false), part(b, false));
    }

    /**
     * @return when the entry was added, in milliseconds on the Redis clock: the id's first part
     * @throws IllegalArgumentException if it is not a full stream id
     */
    static long millis(String id) {
        return part(id, true);
    }

    private static long part(String id, boolean time) {
        int dash = id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1) {
            throw new IllegalArgumentException("not a stream entry id: '" + id + "'");
        }
        return Long.parseUnsignedLong(time ? id.substring(0, dash) : id.substring(dash + 1));
    }
}
