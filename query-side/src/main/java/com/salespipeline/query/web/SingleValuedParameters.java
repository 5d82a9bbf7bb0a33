package com.salespipeline.query.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Each parameter of the query API takes one value. Given twice, Spring would join the values with a comma into one
 * text, so that {@code campaign=a&campaign=b} asked for the campaign "a,b", which a campaign may well be called;
 * a repeated parameter is refused instead (400), naming it, before the read waits for anything.
 */
final class SingleValuedParameters implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            return true;
        }
        Parameters parameters = new Parameters();
        request.getParameterMap().forEach((name, values) -> {
            if (values.length > 1) {
                parameters.reject(name, "given " + values.length + " times; it takes one value");
            }
        });
        parameters.check();
        return true;
    }
}
