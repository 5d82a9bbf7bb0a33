package com.salespipeline.events;

/**
 * A recorded interaction. Two-way engagements (the contact answered a person) are what sales
 * qualification requires; one-way ones are signals only.
 */
public enum EngagementType {
    EMAIL_OPENED(false), PAGE_VIEWED(false), PRICING_PAGE_VIEWED(false), CONTENT_DOWNLOADED(false),
    FORM_SUBMITTED(false), AD_CLICKED(false), WEBINAR_ATTENDED(false), DEMO_REQUESTED(false),
    EMAIL_REPLIED(true), CALL_HELD(true), MEETING_HELD(true), DEMO_HELD(true);

    private final boolean twoWay;

    EngagementType(boolean twoWay) {
        this.twoWay = twoWay;
    }

    /** Whether the contact took part in the exchange, rather than only receiving or browsing. */
    public boolean isTwoWay() {
        return twoWay;
    }
}
