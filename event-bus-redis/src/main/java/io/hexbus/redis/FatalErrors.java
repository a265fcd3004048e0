package io.hexbus.redis;

/**
 * Which throwables a worker does not treat as a handler's failed attempt. A handler's {@link Error} is its
 * own failure like any exception: an {@link AssertionError}, a {@link StackOverflowError} (the stack is
 * unwound by the time it is caught, the thread is fine) or a {@link LinkageError} such as
 * {@link NoClassDefFoundError} or {@link ExceptionInInitializerError} (the handler's classes are broken, the
 * JVM is not). Fatal are only the errors after which this JVM may not work correctly any more, or that ask
 * the thread to die: {@link OutOfMemoryError}, {@link InternalError}, {@link UnknownError} and
 * {@link ThreadDeath}. The worker treats those as its own crash: the event stays pending and is taken over.
 */
final class FatalErrors {

    private FatalErrors() {
    }

    /**
     * @param error what a handler or the worker threw
     * @return true if it means the JVM (or the thread) cannot go on, not that one handler failed
     */
    static boolean isFatal(Throwable error) {
        return (error instanceof VirtualMachineError && !(error instanceof StackOverflowError))
                || error instanceof ThreadDeath;
    }
}
