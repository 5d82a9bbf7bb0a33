package com.salespipeline.query.lifecycle;

import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.ContactRecycled;
import com.salespipeline.events.CustomerBecameAdvocate;
import com.salespipeline.events.EngagementRecorded;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadDisqualified;
import com.salespipeline.events.LeadMarketingQualified;
import com.salespipeline.events.LeadQualified;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityOpened;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;

/** An event with its sequence number in the contact's history, as an event processor hands it over. */
public record Envelope(ContactEvent event, long sequence) {

    /** Calls the projection's handler for the event, as Axon would. */
    public static void dispatch(LifecycleProjection projection, Envelope envelope) {
        ContactEvent e = envelope.event();
        long seq = envelope.sequence();
        if (e instanceof LeadCaptured x) {
            projection.on(x, seq);
        } else if (e instanceof EngagementRecorded x) {
            projection.on(x, seq);
        } else if (e instanceof OwnerAssigned x) {
            projection.on(x, seq);
        } else if (e instanceof LeadMarketingQualified x) {
            projection.on(x, seq);
        } else if (e instanceof LeadQualified x) {
            projection.on(x, seq);
        } else if (e instanceof LeadConverted x) {
            projection.on(x, seq);
        } else if (e instanceof OpportunityOpened x) {
            projection.on(x, seq);
        } else if (e instanceof OpportunityWon x) {
            projection.on(x, seq);
        } else if (e instanceof OpportunityLost x) {
            projection.on(x, seq);
        } else if (e instanceof LeadDisqualified x) {
            projection.on(x, seq);
        } else if (e instanceof ContactRecycled x) {
            projection.on(x, seq);
        } else if (e instanceof CustomerBecameAdvocate x) {
            projection.on(x, seq);
        } else {
            throw new IllegalArgumentException("no handler for " + e);
        }
    }
}
