package com.salespipeline.common.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error answers as problems (RFC 9457) instead of its HTML page: what Tomcat refuses before any
 * servlet sees it, such as headers or a URL over its limits, or an encoded {@code /} in a path. Spring's error page
 * ({@link ProblemErrorController}) answers everything that reaches the application, and {@link RejectedRequestProblems}
 * what Spring Security's firewall rejects.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String reason = known == null ? "Error" : known.getReasonPhrase();
        String code = known == null ? "http-" + status : ProblemErrorController.code(known);
        String detail = status == 400 ? "the request was rejected: its URL, method or headers are not acceptable"
                : "the server could not answer the request: " + reason;
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"" + Problems.type(code) + "\",\"title\":\"" + reason
                        + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer was started after all: nothing more to tell it
            getContainer().getLogger().debug("could not answer status " + status + " as a problem", e);
        }
    }
}
