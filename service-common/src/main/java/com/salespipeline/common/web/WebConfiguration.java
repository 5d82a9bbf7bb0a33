package com.salespipeline.common.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Request limits, content negotiation, and Tomcat's own error answers, shared by both services. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    /**
     * Tomcat's error answers as problems ({@link ProblemErrorReportValve}) in place of the HTML valve that Spring Boot
     * puts on the host, and of the one Tomcat would add when the host starts without it. Ordered last, so that
     * Boot's valve is there to be replaced.
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            StandardHost host = (StandardHost) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            host.getPipeline().addValve(new ProblemErrorReportValve());
        });
    }

    /** What a request accepts, without the types its Accept header refuses ({@link AcceptableTypes}). */
    @Bean
    WebMvcConfigurer acceptableTypes() {
        return new WebMvcConfigurer() {
            @Override
            public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
                configurer.strategies(java.util.List.of(new AcceptableTypes()));
            }
        };
    }

    @Bean
    RequestRejectedHandler rejectedRequestProblems(ObjectMapper json) {
        return new RejectedRequestProblems(json);
    }

    @Bean
    FilterRegistrationBean<QueryStringFilter> queryStringFilter(ObjectMapper json) {
        FilterRegistrationBean<QueryStringFilter> registration = new FilterRegistrationBean<>(new QueryStringFilter(json));
        // after Spring Security's filters, as the body's limit: a request without a valid key is a 401 first
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 5);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(
            @Value("${pipeline.api.max-body-bytes:65536}") long maxBodyBytes, ObjectMapper json) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(maxBodyBytes, json));
        // after Spring Security's filters: a request without a valid key or role is a 401 or 403, whatever its size
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 10);
        return registration;
    }
}
