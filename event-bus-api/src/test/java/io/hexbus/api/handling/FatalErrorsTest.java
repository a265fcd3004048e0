package io.hexbus.api.handling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FatalErrorsTest {

    @Test
    void errorsAfterWhichTheJvmMayNotWorkAreFatal() {
        assertTrue(FatalErrors.isFatal(new OutOfMemoryError("Java heap space")));
        assertTrue(FatalErrors.isFatal(new InternalError("broken VM")));
        assertTrue(FatalErrors.isFatal(new UnknownError()));
        assertTrue(FatalErrors.isFatal(new ThreadDeath()));
    }

    @Test
    void aHandlersOwnErrorsAndExceptionsAreFailedAttempts() {
        assertFalse(FatalErrors.isFatal(new StackOverflowError()));
        assertFalse(FatalErrors.isFatal(new AssertionError("assert failed")));
        assertFalse(FatalErrors.isFatal(new NoClassDefFoundError("com/example/Gone")));
        assertFalse(FatalErrors.isFatal(new ExceptionInInitializerError("static init")));
        assertFalse(FatalErrors.isFatal(new IllegalStateException()));
        assertFalse(FatalErrors.isFatal(new Exception()));
    }
}
