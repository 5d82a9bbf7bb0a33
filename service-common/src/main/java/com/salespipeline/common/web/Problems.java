package com.salespipeline.common.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problem details with a stable type URI per problem code. */
public final class Problems {

    private static final String TYPE_BASE = "urn:sales-pipeline:problem:";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        return problem;
    }

    /** The type URI of the problem {@code code}. */
    public static URI type(String code) {
        return URI.create(TYPE_BASE + code);
    }

    /** A 400 naming the fields that are wrong: {@code errors: [{field, message}]}. */
    public static ProblemDetail invalidFields(String detail, List<Map<String, String>> errors) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    public static Map<String, String> fieldError(String field, String message) {
        return Map.of("field", field, "message", message);
    }
}
