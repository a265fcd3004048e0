package io.hexbus.api.admin;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterFilterTest {

    private final DeadLetter mail = new DeadLetter(UUID.randomUUID(), "invoice.issued", List.of("mail", "sms"), 3,
            "subscription 'mail': java.lang.IllegalStateException: SMTP Timeout", Instant.EPOCH, Instant.EPOCH, "{}");

    @Test
    void everyGivenCriterionMustHold() {
        assertTrue(DeadLetterFilter.ANY.matches(mail));
        assertTrue(DeadLetterFilter.ANY.withEventName("invoice.issued").withSubscription("sms").matches(mail));
        assertFalse(DeadLetterFilter.ANY.withEventName("invoice.issued").withSubscription("audit").matches(mail));
        assertFalse(DeadLetterFilter.ANY.withEventName("invoice").matches(mail), "the name matches exactly");
    }

    @Test
    void theErrorTextIsFoundIgnoringCase() {
        assertTrue(DeadLetterFilter.ANY.withErrorContaining("smtp timeout").matches(mail));
        assertFalse(DeadLetterFilter.ANY.withErrorContaining("refused").matches(mail));
    }

    @Test
    void blankOrNullCriteriaMeanAny() {
        DeadLetterFilter blank = DeadLetterFilter.ANY.withEventName(" ").withSubscription(null).withErrorContaining("");
        assertTrue(blank.matchesAll());
        assertEquals(DeadLetterFilter.ANY, blank);
        assertEquals(new DeadLetterFilter(Optional.of("a"), Optional.empty(), Optional.empty()),
                DeadLetterFilter.ANY.withEventName("a"));
    }
}
