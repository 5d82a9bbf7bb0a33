package com.salespipeline.events;

/** Why a lead was judged not to be a fit. */
public enum DisqualificationReason {
    NO_BUDGET, NO_AUTHORITY, NO_NEED, BAD_TIMING, NOT_ICP, UNRESPONSIVE, DUPLICATE, SPAM, OTHER
}
