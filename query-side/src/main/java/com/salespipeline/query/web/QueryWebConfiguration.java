package com.salespipeline.query.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Checks of a read's query string that hold for every endpoint of the query API. */
@Configuration(proxyBeanMethods = false)
class QueryWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new SingleValuedParameters()).order(Ordered.HIGHEST_PRECEDENCE)
                .addPathPatterns("/api/reports/**", "/api/contacts", "/api/contacts/*");
    }
}
