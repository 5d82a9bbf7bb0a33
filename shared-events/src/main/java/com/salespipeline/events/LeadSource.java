package com.salespipeline.events;

/** Where a lead came from. */
public enum LeadSource {
    WEB_FORM, AD, CONTENT_DOWNLOAD, WEBINAR, EVENT, REFERRAL, PURCHASED_LIST, COLD_OUTREACH, SOCIAL, OTHER
}
