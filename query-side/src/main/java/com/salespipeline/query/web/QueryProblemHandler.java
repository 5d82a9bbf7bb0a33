package com.salespipeline.query.web;

import com.salespipeline.common.web.Problems;
import com.salespipeline.query.contact.ContactNotFound;
import com.salespipeline.query.freshness.ReadInterrupted;
import org.springframework.http.HttpHeaders;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Refusals of the query API as problem details (RFC 9457). Limited to the query controllers and ahead of
 * other advice, so that the standalone app's command-side advice does not answer for them.
 */
@RestControllerAdvice(basePackages = "com.salespipeline.query")
@Order(Ordered.HIGHEST_PRECEDENCE)
class QueryProblemHandler {

    @ExceptionHandler(InvalidParameters.class)
    ResponseEntity<ProblemDetail> invalid(InvalidParameters e) {
        return problem(Problems.invalidFields(e.getMessage(), e.errors()));
    }

    @ExceptionHandler(ContactNotFound.class)
    ResponseEntity<ProblemDetail> notFound(ContactNotFound e) {
        return problem(Problems.of(HttpStatus.NOT_FOUND, "contact-not-found", "Unknown contact", e.getMessage()));
    }

    @ExceptionHandler(ReadInterrupted.class)
    ResponseEntity<ProblemDetail> stopping(ReadInterrupted e) {
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Server stopping",
                e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
