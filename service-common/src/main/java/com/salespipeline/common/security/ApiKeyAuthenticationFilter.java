package com.salespipeline.common.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <api-key>}; an unknown key, or more than one Authorization header, is
 * answered 401 at once, except on the open paths: a health probe that sends the key of another service must still
 * learn that this one is up.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    private final ApiKeys keys;
    private final AuthenticationEntryPoint entryPoint;
    private final RequestMatcher open;

    /** @param open the requests that need no key, whatever key they carry */
    public ApiKeyAuthenticationFilter(ApiKeys keys, AuthenticationEntryPoint entryPoint, RequestMatcher open) {
        this.keys = keys;
        this.entryPoint = entryPoint;
        this.open = open;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return open.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION)).size() > 1) {
            // which one a proxy or a client meant is not for this service to guess: the first would act on its own
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("more than one Authorization header"));
            return;
        }
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            Optional<ApiKey> key = keys.find(header.substring(BEARER.length()).trim());
            if (key.isEmpty()) {
                SecurityContextHolder.clearContext();
                entryPoint.commence(request, response, new BadCredentialsException("unknown API key"));
                return;
            }
            var authentication = new UsernamePasswordAuthenticationToken(key.get().principal(), null,
                    List.of(new SimpleGrantedAuthority(key.get().role().authority())));
            SecurityContextHolder.getContext().setAuthentication(authentication);
        }
        chain.doFilter(request, response);
    }
}
