package io.hexbus.codec;

/**
 * An entry written by newer code than the reader's: its event version is above the one this service
 * registered. Typical of a rolling deploy or a rollback, and fixed by time, not by the entry: a queue keeps
 * it and retries it later (the code that reads it may be running by then), it does not dead-letter it and
 * does not count it as a failed attempt.
 */
public class NewerEventVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The version the entry was written at. */
    private final int entryVersion;
    /** The version this service reads. */
    private final int readerVersion;

    /**
     * @param name          the event name
     * @param entryVersion  the version the entry was written at
     * @param readerVersion the version this service reads
     */
    public NewerEventVersionException(String name, int entryVersion, int readerVersion) {
        super("event '" + name + "' is at version " + entryVersion + ", newer than the version " + readerVersion
                + " this service reads: it waits for code that reads version " + entryVersion);
        this.entryVersion = entryVersion;
        this.readerVersion = readerVersion;
    }

    /**
     * @return the version the entry was written at
     */
    public int entryVersion() {
        return entryVersion;
    }

    /**
     * @return the version this service reads
     */
    public int readerVersion() {
        return readerVersion;
    }
}
