package com.salespipeline.command.contact;

import com.salespipeline.events.Money;

/**
 * An amount with more decimal places than its currency has minor units: EUR 1.234 or JPY 100.50 is no sum that can
 * be paid, most likely a mistyped one, and a deal's value should not be stored on a guess of what was meant.
 */
public class AmountTooPrecise extends ContactRefused {

    public AmountTooPrecise(Money amount, int minorUnits) {
        super("amount " + amount.amount().toPlainString() + " has more decimal places than " + amount.currency()
                + " has (" + minorUnits + ")");
    }

    @Override
    public String code() {
        return "amount-too-precise";
    }
}
