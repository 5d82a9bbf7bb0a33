package com.salespipeline.query.conversion;

/**
 * A rate with what it was computed from: {@code rate = numerator / denominator}, or null when the
 * denominator is 0 (no rate, rather than a made-up 0 or 1). {@code from}/{@code to} name the stages of a
 * conversion and are null for the win rate.
 */
public record Ratio(String from, String to, long numerator, long denominator, Double rate) {

    public Ratio {
        if (numerator < 0 || denominator < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + numerator + "/" + denominator);
        }
        if (numerator > denominator) {
            throw new IllegalArgumentException("numerator " + numerator + " exceeds denominator " + denominator);
        }
    }

    public static Ratio of(String from, String to, long numerator, long denominator) {
        return new Ratio(from, to, numerator, denominator, rate(numerator, denominator));
    }

    public static Double rate(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
