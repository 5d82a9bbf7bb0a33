package com.salespipeline.events;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount in one currency. Never floating point: the amount keeps the scale it was given with.
 *
 * @param amount   the amount, not negative
 * @param currency an ISO-4217 code such as {@code EUR}
 */
public record Money(BigDecimal amount, String currency) {
    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("amount must not be negative");
        }
    }
}
