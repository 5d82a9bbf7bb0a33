package com.salespipeline.common.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page as a problem (RFC 9457), like every other refusal: what reaches it is what no handler answered,
 * such as a request that Spring Security's firewall rejected (400) or a failure nothing expected (500). It replaces
 * Spring Boot's page, whose JSON has no {@code title} or {@code detail}. Asked for directly, there is no error to
 * show: 404.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping(path = "${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatus status = status(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status.is5xxServerError()) {
            log.error("{} {} failed with {}", request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), status.value(),
                    failure instanceof Throwable t ? t : null);
        }
        ProblemDetail problem = Problems.of(status, code(status), status.getReasonPhrase(), detail(status, request));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static HttpStatus status(Object code) {
        if (code instanceof Integer value) {
            HttpStatus status = HttpStatus.resolve(value);
            return status != null ? status : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        return HttpStatus.NOT_FOUND;
    }

    /** The problem code of an error that no handler named: also Tomcat's own ({@link ProblemErrorReportValve}). */
    static String code(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "not-found";
            case BAD_REQUEST -> "bad-request";
            case INTERNAL_SERVER_ERROR -> "internal-error";
            default -> "http-" + status.value();
        };
    }

    private static String detail(HttpStatus status, HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri == null) {
            return "no such resource";
        }
        return switch (status) {
            case BAD_REQUEST -> "the request to " + uri + " was rejected: its URL or headers are not acceptable";
            case INTERNAL_SERVER_ERROR -> "the request to " + uri + " failed on the server";
            default -> status.getReasonPhrase() + ": " + uri;
        };
    }
}
