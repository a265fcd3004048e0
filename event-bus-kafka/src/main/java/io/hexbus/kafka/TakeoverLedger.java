package io.hexbus.kafka;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which records of one assigned partition are with the engine (handed out and not settled), and how often each one's
 * delivery was taken over: what a worker commits as its offset's metadata, so that the partition's next owner knows
 * which records it reads again were abandoned (docs/kafka-transport.md, "Takeovers"). It is Kafka's equivalent of
 * Redis's pending entries list, written before the records are handed out.
 *
 * <p>Life of an entry: the previous owner's metadata ({@link #decode}) gives the <em>inherited</em> entries. A record
 * handed to the engine ({@link #handOut}) is listed with its delivery's takeover count: one more than its inherited
 * count when it was inherited (a takeover), else the count its record carries. It leaves the list when settled
 * ({@link #settled}: acknowledged, rescheduled, dead-lettered, or dropped without the engine); a delivery that never
 * reached the engine is {@link #withdraw withdrawn}, and an inherited entry stays inherited then. Entries below the
 * committed offset are settled and not written.
 *
 * <p>The metadata: {@value #PREFIX} then, comma-separated and increasing, one run of consecutive offsets with one
 * takeover count each: {@code <offset - committed offset>:<takeovers>} for one offset, {@code <offset - committed
 * offset>+<more>:<takeovers>} for {@code 1 + more} offsets. Runs keep a worker's usual holding (a contiguous stretch
 * with a few gaps) to a few dozen characters however many records it reads ahead, so a commit stays small. At most
 * {@value #MAX_CHARS} characters (brokers allow 4,096 by default), the highest offsets left out beyond that (a crash
 * does not count those as takeovers). Version 1's metadata ({@value #PREFIX_V1}, one entry per offset, written by
 * earlier workers) is read as well. Metadata that is neither is no entry.
 *
 * <p>Thread-safety: thread-safe; hand-outs and commits come from the fetch thread, settles from the engine's threads,
 * and {@link #awaitSettled} waits for those.
 */
final class TakeoverLedger {

    static final String PREFIX = "hexbus-takeovers:2;";
    static final String PREFIX_V1 = "hexbus-takeovers:1;";
    static final int MAX_CHARS = 4_000;
    /** The most entries read back (a worker holds its read-ahead): more is malformed, not a reason to fill memory. */
    static final int MAX_ENTRIES = 100_000;

    private final TreeMap<Long, Integer> inherited;
    /** Inherited entries whose records wait behind their key's retry: listed still, not a recovery to hurry. */
    private final TreeSet<Long> deferred = new TreeSet<>();
    private final TreeMap<Long, Integer> withEngine = new TreeMap<>();
    private long version;
    private long committedVersion = -1;
    private long sentVersion = -1;

    /**
     * @param inherited the previous owner's entries: offset to the takeovers its delivery counted
     */
    TakeoverLedger(Map<Long, Integer> inherited) {
        this.inherited = new TreeMap<>(inherited);
    }

    /**
     * What one hand-out is.
     *
     * @param takeovers the takeovers the delivery counts (its {@code Progress.takeovers})
     * @param takenOver whether it is a takeover: an earlier owner handed it out and did not settle it
     * @param version   the ledger's version that lists it: the delivery may go to the engine once it is committed
     */
    record HandOut(int takeovers, boolean takenOver, long version) {
    }

    /**
     * Lists a record as with the engine.
     *
     * @param offset          its offset
     * @param recordTakeovers the takeovers its record carries (a retry record's progress), 0 for none
     * @return its delivery's takeovers, whether it is a takeover, and the version to commit before handing it out
     */
    synchronized HandOut handOut(long offset, int recordTakeovers) {
        Integer earlier = inherited.get(offset);
        int takeovers = earlier == null ? recordTakeovers : Math.max(earlier, recordTakeovers) + 1;
        withEngine.put(offset, takeovers);
        version++;
        return new HandOut(takeovers, earlier != null, version);
    }

    /**
     * The record left the partition's unsettled records: settled by the engine, or dropped without it (a duplicate,
     * a retry that hopped to another tier).
     *
     * @param offset its offset
     */
    synchronized void settled(long offset) {
        boolean changed = withEngine.remove(offset) != null;
        changed |= inherited.remove(offset) != null;
        deferred.remove(offset);
        if (changed) {
            version++;
            notifyAll();
        }
    }

    /**
     * A listed record never reached the engine (its partition was revoked first): no longer listed as with the
     * engine; if it was inherited, it stays so, for the next owner.
     *
     * @param offset its offset
     */
    synchronized void withdraw(long offset) {
        if (withEngine.remove(offset) != null) {
            version++;
            notifyAll();
        }
    }

    /**
     * @return whether records an earlier owner held are left unsettled here: read again or not yet, they count as
     *         taken over when handed out
     */
    synchronized boolean inherits() {
        return inherited.size() > deferred.size();
    }

    /**
     * An inherited record read again waits behind its key's retry (held until that retry is settled, which may be
     * hours away): it stays listed, and no longer counts for {@link #inherits}.
     *
     * @param offset its offset
     */
    synchronized void defer(long offset) {
        if (inherited.containsKey(offset)) {
            deferred.add(offset);
        }
    }

    /** @return how many records are with the engine */
    synchronized int withEngine() {
        return withEngine.size();
    }

    /**
     * Waits until no record is with the engine, or the deadline.
     *
     * @param deadlineNanos on {@link System#nanoTime()}
     * @return whether none is
     * @throws InterruptedException if interrupted while waiting
     */
    synchronized boolean awaitSettled(long deadlineNanos) throws InterruptedException {
        while (!withEngine.isEmpty()) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /**
     * The metadata of a commit of {@code committed}, and the version it is of.
     *
     * @param text    the metadata
     * @param version the version: {@link #committed} once the commit succeeded
     */
    record Snapshot(String text, long version) {
    }

    /**
     * @param committed the offset to be committed with it: entries below it are settled, and forgotten
     * @return the metadata to commit with it
     */
    synchronized Snapshot metadata(long committed) {
        inherited.headMap(committed).clear();
        deferred.headSet(committed).clear();
        withEngine.headMap(committed).clear();
        TreeMap<Long, Integer> all = new TreeMap<>(inherited);
        all.putAll(withEngine);
        StringBuilder text = new StringBuilder(PREFIX);
        long runStart = -1;
        long runEnd = -1;
        int runTakeovers = -1;
        for (Map.Entry<Long, Integer> e : all.entrySet()) {
            long offset = e.getKey();
            if (offset == runEnd + 1 && e.getValue() == runTakeovers) {
                runEnd = offset;
                continue;
            }
            if (runStart >= 0 && !append(text, runStart - committed, runEnd - runStart, runTakeovers)) {
                return new Snapshot(text.toString(), version);
            }
            runStart = offset;
            runEnd = offset;
            runTakeovers = e.getValue();
        }
        if (runStart >= 0) {
            append(text, runStart - committed, runEnd - runStart, runTakeovers);
        }
        return new Snapshot(text.toString(), version);
    }

    /** Appends one run if it fits; a run that does not is cut to what fits. @return whether all of it fitted */
    private static boolean append(StringBuilder text, long delta, long more, int takeovers) {
        String separator = text.length() > PREFIX.length() ? "," : "";
        String run = separator + delta + (more > 0 ? "+" + more : "") + ":" + takeovers;
        if (text.length() + run.length() <= MAX_CHARS) {
            text.append(run);
            return true;
        }
        String single = separator + delta + ":" + takeovers; // at least the run's first offset, if that fits
        if (text.length() + single.length() <= MAX_CHARS) {
            text.append(single);
        }
        return false;
    }

    /**
     * @param committedVersion the version of metadata that was committed
     */
    synchronized void committed(long committedVersion) {
        this.committedVersion = Math.max(this.committedVersion, committedVersion);
    }

    /**
     * @param version a hand-out's version
     * @return whether metadata listing it was committed
     */
    synchronized boolean isCommitted(long version) {
        return committedVersion >= version;
    }

    /**
     * @param version the version of metadata a commit carries, on its way: not to be sent again unless it fails
     */
    synchronized void sent(long version) {
        sentVersion = Math.max(sentVersion, version);
    }

    /** A commit failed: what it carried goes again with the next one. */
    synchronized void unsent() {
        sentVersion = committedVersion;
    }

    /** @return whether it changed since the last commit sent */
    synchronized boolean changedSinceSent() {
        return version > sentVersion;
    }

    /**
     * Reads the metadata a partition's previous owner committed.
     *
     * @param metadata  the committed offset's metadata, or null
     * @param committed the committed offset
     * @return offset to takeover count; empty for metadata that is not the ledger's, or is malformed
     */
    static Map<Long, Integer> decode(String metadata, long committed) {
        Map<Long, Integer> entries = new TreeMap<>();
        if (metadata == null || !(metadata.startsWith(PREFIX) || metadata.startsWith(PREFIX_V1))) {
            return entries;
        }
        boolean runs = metadata.startsWith(PREFIX);
        String body = metadata.substring(PREFIX.length()); // both prefixes are as long
        if (body.isEmpty()) {
            return entries;
        }
        try {
            for (String entry : body.split(",")) {
                int colon = entry.indexOf(':');
                String offsets = entry.substring(0, colon);
                int plus = runs ? offsets.indexOf('+') : -1;
                long delta = Long.parseLong(plus < 0 ? offsets : offsets.substring(0, plus));
                long more = plus < 0 ? 0 : Long.parseLong(offsets.substring(plus + 1));
                int takeovers = Integer.parseInt(entry.substring(colon + 1));
                if (delta < 0 || more < 0 || takeovers < 0 || entries.size() + more >= MAX_ENTRIES) {
                    return new TreeMap<>();
                }
                for (long i = 0; i <= more; i++) {
                    entries.put(committed + delta + i, takeovers);
                }
            }
        } catch (RuntimeException malformed) { // a number that does not parse, or no colon
            return new TreeMap<>();
        }
        return entries;
    }
}
