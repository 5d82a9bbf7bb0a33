package com.salespipeline.common.web;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;

/**
 * The types the client's {@code Accept} header accepts, leaving out those it refuses with {@code q=0} (RFC 9110,
 * 12.4.2): Spring takes {@code application/json;q=0} as accepting JSON, and a command sent with it ran and was
 * stored. When every listed type is refused, what is returned is a type nothing here produces, so that a handler
 * that names what it produces is not chosen (406), and an error is still written as a problem.
 */
final class AcceptableTypes implements ContentNegotiationStrategy {

    static final MediaType NOTHING_ACCEPTABLE = new MediaType("application", "x-nothing-acceptable");

    private final HeaderContentNegotiationStrategy header = new HeaderContentNegotiationStrategy();

    @Override
    public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
        List<MediaType> listed = header.resolveMediaTypes(request);
        List<MediaType> accepted = listed.stream().filter(type -> type.getQualityValue() > 0).toList();
        return accepted.isEmpty() ? List.of(NOTHING_ACCEPTABLE) : accepted;
    }
}
