package io.hexbus.sample.shared;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An amount in a currency. Immutable.
 *
 * @param amount   the amount, at most two decimals
 * @param currency the ISO 4217 code, three capital letters
 */
public record Money(BigDecimal amount, String currency) {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /**
     * Checks the amount's scale and the currency code.
     *
     * @param amount the amount, at most two decimals
     * @param currency the ISO 4217 code, three capital letters
     * @throws IllegalArgumentException naming what is wrong
     */
    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (amount.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("amount " + amount + " has more than two decimals");
        }
        if (!CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency '" + currency + "' is not an ISO 4217 code");
        }
    }

    /**
     * @param amount   the amount as text, for example {@code "120.50"}
     * @param currency the ISO 4217 code
     * @return the money
     */
    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    /**
     * @return the amount and the currency as people read them, for example {@code 120.50 EUR}
     */
    public String format() {
        return amount.toPlainString() + " " + currency;
    }

    /**
     * @return true if the amount is above zero
     */
    public boolean isPositive() {
        return amount.signum() > 0;
    }
}
