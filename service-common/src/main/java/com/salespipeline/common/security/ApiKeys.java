package com.salespipeline.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configured API keys. Parsed from {@code key=ROLE} or {@code key=ROLE:principal} entries, comma
 * separated (the form of {@code PIPELINE_API_KEYS}); a key without a principal name gets one derived from
 * its role and a hash of the key, so that events name a stable actor without revealing the key.
 */
public final class ApiKeys {

    private final Map<String, ApiKey> bySecret;

    private ApiKeys(Map<String, ApiKey> bySecret) {
        this.bySecret = bySecret;
    }

    public static ApiKeys parse(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("no API keys configured: set PIPELINE_API_KEYS"
                    + " (key1=SERVICE,key2=ANALYST,...) or run the standalone default profile");
        }
        Map<String, ApiKey> keys = new LinkedHashMap<>();
        for (String entry : configured.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalStateException("API key entry must look like key=ROLE or key=ROLE:name: "
                        + mask(entry));
            }
            String secret = entry.substring(0, eq).trim();
            if (secret.isEmpty()) {
                throw new IllegalStateException("API key entry must look like key=ROLE or key=ROLE:name, with a key: "
                        + mask(entry));
            }
            String[] roleAndName = entry.substring(eq + 1).trim().split(":", 2);
            Role role;
            try {
                role = Role.valueOf(roleAndName[0].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // masked too: a key and role written the other way round put the key here
                throw new IllegalStateException("unknown role " + mask(roleAndName[0].trim()) + " for API key "
                        + mask(secret)
                        + "; roles are SERVICE, ANALYST, AUDITOR, ADMIN");
            }
            String principal = roleAndName.length > 1 && !roleAndName[1].isBlank() ? roleAndName[1].trim()
                    : role.name().toLowerCase(Locale.ROOT) + "-" + sha256(secret).substring(0, 8);
            if (keys.put(secret, new ApiKey(secret, role, principal)) != null) {
                throw new IllegalStateException("API key configured twice: " + mask(secret));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("no API keys configured");
        }
        return new ApiKeys(Map.copyOf(keys));
    }

    public Optional<ApiKey> find(String secret) {
        return Optional.ofNullable(bySecret.get(secret));
    }

    public List<ApiKey> all() {
        return new ArrayList<>(bySecret.values());
    }

    private static String mask(String text) {
        return text.length() <= 4 ? "****" : text.substring(0, 2) + "****";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
