package com.salespipeline.common.web;

import java.util.ArrayList;
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

    /** The types this API writes: what a wide range that contains a refused type is narrowed to. */
    private static final List<MediaType> WRITTEN = List.of(MediaType.APPLICATION_JSON, new MediaType("text", "csv"),
            MediaType.APPLICATION_PROBLEM_JSON);

    @Override
    public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
        List<MediaType> listed;
        try {
            listed = header.resolveMediaTypes(request);
        } catch (HttpMediaTypeNotAcceptableException unreadable) {
            // an Accept header that does not parse accepts nothing; thrown from here, the 406 went out without a body
            return List.of(NOTHING_ACCEPTABLE);
        }
        List<MediaType> refused = listed.stream().filter(type -> type.getQualityValue() == 0).toList();
        List<MediaType> accepted = new ArrayList<>();
        for (MediaType type : listed) {
            if (type.getQualityValue() == 0) {
                continue;
            }
            if (refused.stream().anyMatch(type::includes)) {
                // the more specific refusal stands inside the wider range (RFC 9110): application/json;q=0, */*
                // accepts anything but JSON, which Spring, reading */*, would answer with
                for (MediaType written : WRITTEN) {
                    if (type.includes(written) && MediaRanges.quality(listed, written) > 0) {
                        accepted.add(written);
                    }
                }
            } else {
                accepted.add(type);
            }
        }
        return accepted.isEmpty() ? List.of(NOTHING_ACCEPTABLE) : accepted;
    }
}
