package com.salespipeline.events;

/** What made a customer an advocate. */
public enum AdvocacyReason {
    RENEWED, EXPANDED, REFERRED
}
