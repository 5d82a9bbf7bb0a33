package com.salespipeline.query.freshness;

import com.salespipeline.query.deadletter.DeadLetterPresence;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Before a read of the read model (a report, a contact, a page of contacts): where the process holds the event
 * store too, waits until the read model has applied every command answered before the request arrived. A read
 * that may lack events says so in {@value #BEHIND_HEADER}: the wait timed out or was not worth starting, or events
 * it would count are parked as dead letters (any contact's for a report or a list, the contact's own for one).
 */
final class ReadYourWritesInterceptor implements HandlerInterceptor {

    static final String BEHIND_HEADER = "Read-Model-Behind";

    private final Optional<CatchUp> catchUp;
    private final Optional<DeadLetterPresence> parked;

    ReadYourWritesInterceptor(Optional<CatchUp> catchUp, Optional<DeadLetterPresence> parked) {
        this.catchUp = catchUp;
        this.parked = parked;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String method = request.getMethod();
        if (("GET".equals(method) || "HEAD".equals(method)) && behind(request)) {
            response.setHeader(BEHIND_HEADER, "true");
        }
        return true;
    }

    private boolean behind(HttpServletRequest request) {
        if (catchUp.isPresent() && !catchUp.get().await()) {
            return true;
        }
        if (parked.isEmpty()) {
            return false;
        }
        try {
            // one contact lacks only its own parked events; a report or a list lacks every contact's
            Optional<String> contactId = contactId(request);
            return contactId.isPresent() ? parked.get().parked(contactId.get()) : parked.get().anyParked();
        } catch (RuntimeException unreadable) {
            // the read model's database failing: nothing vouches for what the read will find
            return true;
        }
    }

    /** The contact's id as its parked events are keyed (lower case), whatever case the path gave it in. */
    private static Optional<String> contactId(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (!(variables instanceof Map<?, ?> named && named.get("id") instanceof String id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id).toString());
        } catch (IllegalArgumentException notAUuid) {
            // answered 404 as no contact: nothing of it can be parked
            return Optional.of(id);
        }
    }
}
