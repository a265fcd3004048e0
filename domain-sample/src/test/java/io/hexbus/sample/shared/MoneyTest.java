package io.hexbus.sample.shared;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MoneyTest {

    @Test
    void refusesMoreThanTwoDecimalsAndUnknownCurrencyShapes() {
        assertEquals("amount 1.005 has more than two decimals",
                assertThrows(IllegalArgumentException.class, () -> Money.of("1.005", "EUR")).getMessage());
        assertEquals("currency 'euro' is not an ISO 4217 code",
                assertThrows(IllegalArgumentException.class, () -> Money.of("1", "euro")).getMessage());
    }
}
