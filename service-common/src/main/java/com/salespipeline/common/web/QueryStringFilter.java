package com.salespipeline.common.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query string that is not percent-encoded UTF-8 with a 400 naming the parameter. Tomcat drops such a
 * parameter and logs it: {@code ?owner=nobody%zz} answered every contact, as if no owner had been asked for.
 */
public class QueryStringFilter extends OncePerRequestFilter {

    private final ObjectMapper json;

    public QueryStringFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        String undecodable = query == null ? null : firstUndecodable(query);
        if (undecodable != null) {
            String message = "is not percent-encoded UTF-8 (a % must be followed by two hex digits)";
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), Problems.invalidFields(undecodable + " " + message,
                    List.of(Problems.fieldError(undecodable, message))));
            return;
        }
        chain.doFilter(request, response);
    }

    /** The name of the first parameter (or the name itself) that does not decode, or null when all do. */
    static String firstUndecodable(String query) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = decodedOrNull(equals < 0 ? pair : pair.substring(0, equals));
            if (name == null) {
                return "query parameter name";
            }
            if (equals >= 0 && decodedOrNull(pair.substring(equals + 1)) == null) {
                return name;
            }
        }
        return null;
    }

    private static String decodedOrNull(String text) {
        try {
            return decodedStrictly(text);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }

    private static String decodedStrictly(String text) throws CharacterCodingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("bad escape at " + i);
                }
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
    }
}
