package com.salespipeline.common.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.common.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * API keys and roles for every endpoint of api.md, for whichever side runs in this process. Keys come
 * from {@code pipeline.api-keys} (the environment's {@code PIPELINE_API_KEYS}); without any, the
 * service refuses to start. 401 and 403 are problem details like every other refusal.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** What anyone may call, with no key or any key: the health probe of api.md, and the error page. */
    private static final RequestMatcher OPEN = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher("/actuator/health"),
            PathPatternRequestMatcher.withDefaults().matcher("/actuator/health/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/error"));

    /**
     * No user names or passwords: API keys are the only credentials. Without a bean of its own, Spring Boot makes a
     * user with a generated password and prints it at every start, a password that nothing here accepts.
     */
    @Bean
    UserDetailsService noUsers() {
        return username -> {
            throw new UsernameNotFoundException("this service knows API keys only");
        };
    }

    @Bean
    ApiKeys apiKeys(@Value("${pipeline.api-keys:}") String configured) {
        return ApiKeys.parse(configured);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys keys, ObjectMapper json) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, e) -> write(json, response,
                Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
                        "send a known API key as 'Authorization: Bearer <api-key>'"
                                + (e instanceof BadCredentialsException ? " (" + e.getMessage() + ")" : "")));
        AccessDeniedHandler forbidden = (request, response, e) -> write(json, response,
                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                        "this API key's role may not " + request.getMethod() + " " + request.getRequestURI()));
        http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, unauthenticated, OPEN),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(OPEN).permitAll()
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        // reads are checked whatever the method: HEAD answers through the GET handlers
                        .requestMatchers("/api/contacts/*/history", "/api/contacts/*/history/**")
                        .hasAnyRole("AUDITOR", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/contacts", "/api/contacts/**")
                        .hasAnyRole("SERVICE", "ADMIN")
                        .requestMatchers("/api/contacts", "/api/contacts/**")
                        .hasAnyRole("ANALYST", "AUDITOR", "ADMIN")
                        .requestMatchers("/api/reports/**").hasAnyRole("ANALYST", "ADMIN")
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .anyRequest().authenticated());
        return http.build();
    }

    private static void write(ObjectMapper json, HttpServletResponse response, ProblemDetail problem)
            throws java.io.IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (problem.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        json.writeValue(response.getOutputStream(), problem);
    }
}
