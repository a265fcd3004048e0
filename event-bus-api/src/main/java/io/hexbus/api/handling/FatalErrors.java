package io.hexbus.api.handling;

/**
 * Which throwables of a handler are not its failure, on every transport. A handler's {@link Error} is its own
 * failure like any exception: an {@link AssertionError}, a {@link StackOverflowError} (the stack is unwound by
 * the time it is caught, the thread is fine) or a {@link LinkageError} such as {@link NoClassDefFoundError} or
 * {@link ExceptionInInitializerError} (the handler's classes are broken, the JVM is not). Fatal are only the
 * errors after which this JVM may not work correctly any more, or that ask the thread to die:
 * {@link OutOfMemoryError}, {@link InternalError}, {@link UnknownError} and {@link ThreadDeath}. A transport
 * rethrows those instead of recording a failed handler: in memory they end {@code publish}; on a queue the
 * worker treats them as its own crash, and the event stays pending to be taken over.
 *
 * @since 0.1.0
 */
public final class FatalErrors {

    private FatalErrors() {
    }

    /**
     * @param error what a handler or a transport's own code threw; must not be null
     * @return true if it means the JVM (or the thread) cannot go on, not that one handler failed
     */
    public static boolean isFatal(Throwable error) {
        return (error instanceof VirtualMachineError && !(error instanceof StackOverflowError))
                || error instanceof ThreadDeath;
    }
}
