package io.hexbus.spring.boot;

/**
 * What this process does with the bus, as {@code hexbus.mode} (or {@code HEXBUS_MODE}) says, with the values of the
 * Guice app's {@code HEXBUS_MODE}.
 */
public enum HexbusMode {
    /** Publish and consume: queue workers start with the context. The default. */
    ALL,
    /** Publish only: no worker starts; another process consumes. */
    API,
    /** Consume only: workers start; needs a queue that delivers (not {@code in-memory}, not {@code none}). */
    WORKER;

    /**
     * @return whether queue workers start in this mode
     */
    public boolean consumes() {
        return this != API;
    }
}
