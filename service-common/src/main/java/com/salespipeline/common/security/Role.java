package com.salespipeline.common.security;

/** What an API key may do (api.md, Authentication). */
public enum Role {
    SERVICE, ANALYST, AUDITOR, ADMIN;

    /** The Spring Security authority of this role. */
    public String authority() {
        return "ROLE_" + name();
    }
}
