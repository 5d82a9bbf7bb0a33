package com.salespipeline.command.contact;

/**
 * Whether qualifying a lead needs a two-way engagement first. On by default; some teams qualify from
 * inbound signals alone and switch it off by configuration.
 */
public record QualificationPolicy(boolean requireTwoWayEngagement) {

    public static QualificationPolicy standard() {
        return new QualificationPolicy(true);
    }
}
