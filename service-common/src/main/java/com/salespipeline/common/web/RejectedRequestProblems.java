package com.salespipeline.common.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * What Spring Security's firewall rejects, answered as a problem right away. Its own handler sends an error that
 * Tomcat forwards to the error page, which the firewall rejects again when the method was the reason (TRACE): the
 * client got a 400 without a body.
 */
final class RejectedRequestProblems implements RequestRejectedHandler {

    private static final String ALLOWED = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    private final ObjectMapper json;

    RejectedRequestProblems(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        boolean method = String.valueOf(rejected.getMessage()).contains("HTTP method");
        HttpStatus status = method ? HttpStatus.METHOD_NOT_ALLOWED : HttpStatus.BAD_REQUEST;
        String detail = method ? "the method " + request.getMethod() + " is not supported; allowed: " + ALLOWED
                : "the request was rejected: its URL or headers are not acceptable";
        response.resetBuffer();
        response.setStatus(status.value());
        if (method) {
            response.setHeader(HttpHeaders.ALLOW, ALLOWED);
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), Problems.of(status, method ? "http-405" : "bad-request",
                status.getReasonPhrase(), detail));
    }
}
