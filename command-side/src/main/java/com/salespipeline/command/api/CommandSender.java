package com.salespipeline.command.api;

import com.salespipeline.command.pipeline.CommandReply;
import com.salespipeline.command.pipeline.GroupCommitter;
import com.salespipeline.command.pipeline.IdempotencyClaim;
import com.salespipeline.command.store.AuditMetaData;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.axonframework.messaging.MetaData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;

/**
 * Turns an HTTP request into a command submission: who sent it, the correlation id, the reason, the
 * expected version (If-Match) and the Idempotency-Key; and the committed outcome back into a response.
 */
class CommandSender {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    private static final java.util.regex.Pattern VERSION_TAG = java.util.regex.Pattern.compile("^(?:W/)?\"?(\\d{1,18})\"?$");

    private final GroupCommitter committer;
    private final Duration timeout;

    CommandSender(GroupCommitter committer, Duration timeout) {
        this.committer = committer;
        this.timeout = timeout;
    }

    /** The version the caller expects (If-Match), or null when it sent none or {@code *}. */
    static Long expectedVersion(HttpServletRequest request) {
        String ifMatch = request.getHeader(HttpHeaders.IF_MATCH);
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher matcher = VERSION_TAG.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw new InvalidField("If-Match", "must be a contact version in quotes, such as \"3\"");
        }
        return Long.parseLong(matcher.group(1));
    }

    ResponseEntity<CommandResponse> send(Object command, HttpStatus success, String reason, Object body,
                                         HttpServletRequest request, Authentication caller) {
        String correlationId = CorrelationIds.of(request);
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(AuditMetaData.ACTOR, caller.getName());
        metaData.put(AuditMetaData.CORRELATION_ID, correlationId);
        if (reason != null && !reason.isBlank()) {
            metaData.put(AuditMetaData.REASON, reason);
        }
        CommandReply reply = committer.execute(command, MetaData.from(metaData),
                claim(request, caller, body, success), timeout);
        HttpStatus status = reply.replayed() ? HttpStatus.valueOf(reply.status()) : success;
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
                .eTag("\"" + reply.outcome().version() + "\"");
        if (reply.replayed()) {
            response.header(IDEMPOTENT_REPLAYED, "true");
        }
        if (status == HttpStatus.CREATED) {
            response.location(URI.create("/api/contacts/" + reply.outcome().contactId()));
        }
        return response.body(CommandResponse.of(reply.outcome()));
    }

    private static IdempotencyClaim claim(HttpServletRequest request, Authentication caller, Object body,
                                          HttpStatus success) {
        String key = request.getHeader(IDEMPOTENCY_KEY);
        if (key == null) {
            return null;
        }
        // a second key would be ignored, and a retry under it would run the command again
        if (java.util.Collections.list(request.getHeaders(IDEMPOTENCY_KEY)).size() > 1) {
            throw new InvalidField(IDEMPOTENCY_KEY, "must be sent once");
        }
        if (key.isBlank() || key.length() > 255) {
            throw new InvalidField(IDEMPOTENCY_KEY, "must be 1 to 255 characters");
        }
        // the bound body (a record) is the request's meaning, independent of JSON spacing and key order; api.md
        // makes a retry "the same key and body", so a retry that changed its If-Match is still the same request
        // the contact's id in the path is read as a UUID, so /api/contacts/ABC... is the same contact as .../abc...:
        // a retry that spells it in the other case is the same request
        String sentPath = request.getRequestURI();
        String asked = request.getMethod() + " " + sentPath.toLowerCase(Locale.ROOT) + "\n" + body;
        // until 2026-12-08 the path counted as sent, and until 2026-12-07 the If-Match header was part of it too:
        // records of then answer a retry that repeats them
        String askedAsSent = request.getMethod() + " " + sentPath + "\n" + body;
        String askedWithIfMatch = request.getMethod() + " " + sentPath + "\nIf-Match: "
                + request.getHeader(HttpHeaders.IF_MATCH) + "\n" + body;
        return new IdempotencyClaim(caller.getName(), key, sha256(asked), success.value(),
                List.of(sha256(askedAsSent), sha256(askedWithIfMatch)));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
