package com.salespipeline.query.funnel;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the funnel counts "reached". */
public enum FunnelMode {
    /** A contact that reached a later funnel stage counts as having reached every earlier one. */
    CUMULATIVE,
    /** Only contacts that actually entered the stage. */
    STRICT;

    @JsonValue
    public String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FunnelMode> fromParameter(String value) {
        return Arrays.stream(values()).filter(m -> m.name().equalsIgnoreCase(value)).findFirst();
    }
}
