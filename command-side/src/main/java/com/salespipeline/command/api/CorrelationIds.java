package com.salespipeline.command.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every command request its correlation id, the caller's {@code X-Correlation-Id} or a new one, and answers it
 * in the same header whatever the answer is: a refusal too (401, 403, 400, 409, ...), so that a caller can match it
 * with its own logs. Runs ahead of authentication for that reason. The command stores the id with its events.
 */
final class CorrelationIds extends OncePerRequestFilter {

    static final String HEADER = "X-Correlation-Id";
    static final int MAX_LENGTH = 200;
    private static final String ATTRIBUTE = CorrelationIds.class.getName();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = idOf(request);
        // one that is too long is refused by the command (400), and not repeated back
        if (id != null) {
            request.setAttribute(ATTRIBUTE, id);
            response.setHeader(HEADER, id);
        }
        chain.doFilter(request, response);
    }

    /**
     * The request's correlation id: the filter's, or for a request that came another way (none in the apps) the
     * same rule applied here.
     *
     * @throws InvalidField when the caller's is longer than {@value #MAX_LENGTH} characters
     */
    static String of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof String id) {
            return id;
        }
        String id = idOf(request);
        if (id == null) {
            throw new InvalidField(HEADER, "must be at most " + MAX_LENGTH + " characters");
        }
        return id;
    }

    /** The caller's id trimmed, a new one when it gave none, or null when its is too long. */
    private static String idOf(HttpServletRequest request) {
        String given = request.getHeader(HEADER);
        if (given != null && given.length() > MAX_LENGTH) {
            return null;
        }
        return given == null || given.isBlank() ? UUID.randomUUID().toString() : given.trim();
    }
}
