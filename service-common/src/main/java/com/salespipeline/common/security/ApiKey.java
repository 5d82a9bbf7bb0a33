package com.salespipeline.common.security;

/**
 * One configured key: its secret, its role and the principal name that events record as their actor.
 * The secret itself never appears in events or logs.
 */
public record ApiKey(String secret, Role role, String principal) {

    @Override
    public String toString() {
        return "ApiKey[" + principal + ", " + role + "]";
    }
}
