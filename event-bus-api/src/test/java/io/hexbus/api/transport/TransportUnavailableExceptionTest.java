package io.hexbus.api.transport;

import io.hexbus.api.publishing.EventPublishingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class TransportUnavailableExceptionTest {

    @Test
    void findsTheBrokersFailureAmongTheCauses() {
        TransportTimeoutException timeout = new TransportTimeoutException("broker at b:1 did not answer", null);
        RuntimeException wrapped = new RuntimeException("provision failed",
                new EventPublishingException("could not publish", timeout));

        assertSame(timeout, TransportUnavailableException.findIn(wrapped).orElseThrow());
        assertSame(timeout, TransportUnavailableException.findIn(timeout).orElseThrow());
    }

    @Test
    void findsNothingInABugOrInNothing() {
        assertEquals(Optional.empty(), TransportUnavailableException.findIn(new IllegalStateException("a bug",
                new IllegalArgumentException("its cause"))));
        assertEquals(Optional.empty(), TransportUnavailableException.findIn(null));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void looksOnlySixteenCausesDeepSoThatACycleOfCausesEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertEquals(Optional.empty(), TransportUnavailableException.findIn(first));
        assertEquals(Optional.empty(), TransportUnavailableException.findIn(chain(17,
                new TransportUnavailableException("too deep to matter", null))));
        assertEquals(Optional.of("deep"), TransportUnavailableException.findIn(chain(16,
                new TransportUnavailableException("deep", null))).map(Throwable::getMessage));
    }

    /** @return an exception with {@code wrappers} exceptions in front of {@code root} */
    private static Throwable chain(int wrappers, Throwable root) {
        Throwable top = root;
        for (int i = 0; i < wrappers; i++) {
            top = new RuntimeException("wrapper " + i, top);
        }
        return top;
    }
}
