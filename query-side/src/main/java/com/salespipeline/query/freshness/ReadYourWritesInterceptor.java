package com.salespipeline.query.freshness;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Before a read of the read model (a report, a contact, a page of contacts), waits until the read model has
 * applied every command answered before the request arrived. A read that timed out waiting says so in
 * {@value #BEHIND_HEADER}.
 */
final class ReadYourWritesInterceptor implements HandlerInterceptor {

    static final String BEHIND_HEADER = "Read-Model-Behind";

    private final CatchUp catchUp;

    ReadYourWritesInterceptor(CatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws InterruptedException {
        String method = request.getMethod();
        if (("GET".equals(method) || "HEAD".equals(method)) && !catchUp.await()) {
            response.setHeader(BEHIND_HEADER, "true");
        }
        return true;
    }
}
