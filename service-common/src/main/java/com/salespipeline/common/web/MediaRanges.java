package com.salespipeline.common.web;

import java.util.List;
import org.springframework.http.MediaType;

/** What an Accept header's media ranges say of one concrete type, as RFC 9110 (12.5.1) reads them. */
public final class MediaRanges {

    private MediaRanges() {
    }

    /**
     * The quality the {@code ranges} give {@code type}: that of the most specific range matching it
     * ({@code text/csv} over {@code text/*} over {@code *}{@code /*}), so {@code application/json;q=0, *}{@code /*}
     * refuses JSON; -1 when no range matches.
     */
    public static double quality(List<MediaType> ranges, MediaType type) {
        double quality = -1;
        int specificity = -1;
        for (MediaType range : ranges) {
            if (!range.includes(type)) {
                continue;
            }
            int rangeSpecificity = range.isWildcardType() ? 0 : range.isWildcardSubtype() ? 1 : 2;
            if (rangeSpecificity > specificity
                    || rangeSpecificity == specificity && range.getQualityValue() > quality) {
                specificity = rangeSpecificity;
                quality = range.getQualityValue();
            }
        }
        return quality;
    }
}
