package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.salespipeline.command.audit.HistoryBroken;
import com.salespipeline.command.contact.ContactRefused;
import com.salespipeline.command.pipeline.CommandsUnavailable;
import com.salespipeline.command.pipeline.IdempotencyKeyReused;
import com.salespipeline.command.pipeline.ReplayedRefusal;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import com.salespipeline.common.web.BodySizeLimitFilter;
import com.salespipeline.common.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** The one place where refusals become problem details (RFC 9457). */
@RestControllerAdvice
class CommandProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandProblemHandler.class);

    private final long maxBodyBytes;
    private static final int SHOWN_CHARACTERS = 40;

    private final ObjectMapper objectMapper;

    CommandProblemHandler(@Value("${pipeline.api.max-body-bytes:65536}") long maxBodyBytes, ObjectMapper objectMapper) {
        this.maxBodyBytes = maxBodyBytes;
        this.objectMapper = objectMapper;
    }

    @ExceptionHandler({ContactRefused.class, AggregateNotFoundException.class})
    ProblemDetail refused(RuntimeException refusal) {
        return RefusalProblems.of(refusal).orElseThrow();
    }

    /** The same status and problem details as the first answer to this Idempotency-Key. */
    @ExceptionHandler(ReplayedRefusal.class)
    ResponseEntity<ProblemDetail> replayed(ReplayedRefusal replayed) throws JsonProcessingException {
        return ResponseEntity.status(replayed.refusal().status()).header(CommandSender.IDEMPOTENT_REPLAYED, "true")
                .body(objectMapper.readValue(replayed.refusal().problemJson(), ProblemDetail.class));
    }

    /**
     * A contact id that is no UUID names no contact: 404. Any other argument of the wrong type (in the standalone
     * app this advice also answers for the query side's controllers) is a bad request.
     */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail badArgument(MethodArgumentTypeMismatchException e) {
        if (e.getParameter().hasParameterAnnotation(PathVariable.class)) {
            return RefusalProblems.unknownContact("no contact with id '" + e.getValue() + "' (contact ids are UUIDs)");
        }
        String message = "'" + e.getValue() + "' is not " + expected(e.getRequiredType());
        return Problems.invalidFields(e.getName() + ": " + message, List.of(Problems.fieldError(e.getName(), message)));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ProblemDetail concurrent(ConcurrencyException e) {
        return Problems.of(HttpStatus.CONFLICT, "concurrent-modification", "Concurrent modification",
                "the contact was changed by another command at the same time; read it again and retry");
    }

    /** Not kept for an Idempotency-Key's retries: once the history is repaired, the same command may be accepted. */
    @ExceptionHandler(HistoryBroken.class)
    ProblemDetail historyBroken(HistoryBroken e) {
        log.warn("command refused: {}", e.getMessage());
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "history-broken", "Stored history broken",
                e.getMessage());
        problem.setProperty("firstBrokenSequence", e.brokenSequence());
        return problem;
    }

    @ExceptionHandler(IdempotencyKeyReused.class)
    ProblemDetail keyReused(IdempotencyKeyReused e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key reused",
                e.getMessage());
    }

    @ExceptionHandler(NoVersionToMatch.class)
    ProblemDetail noVersionToMatch(NoVersionToMatch e) {
        ProblemDetail problem = Problems.of(HttpStatus.PRECONDITION_FAILED, "version-mismatch", "Version mismatch",
                e.getMessage());
        problem.setProperty("currentVersion", null);
        return problem;
    }

    @ExceptionHandler(InvalidField.class)
    ProblemDetail invalidField(InvalidField e) {
        return Problems.invalidFields(e.field() + " " + e.getMessage(),
                List.of(Problems.fieldError(e.field(), e.getMessage())));
    }

    @ExceptionHandler(CommandsUnavailable.class)
    ResponseEntity<ProblemDetail> unavailable(CommandsUnavailable e) {
        log.warn("command not accepted: {}", e.getMessage(), e.getCause());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Command not accepted",
                        e.getMessage()));
    }

    /**
     * What Spring answers itself (a 406, a 405 on a known path, ...) gets a type of the same kind as every other
     * problem of the API, instead of {@code about:blank}.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && "about:blank".equals(String.valueOf(problem.getType()))) {
            String code = "http-" + statusCode.value();
            problem.setType(Problems.type(code));
            problem.setProperty("code", code);
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> Problems.fieldError(error.getField(), String.valueOf(error.getDefaultMessage())))
                .toList();
        String detail = errors.stream().map(e -> e.get("field") + " " + e.get("message"))
                .collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(Problems.invalidFields(detail, errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        if (BodySizeLimitFilter.isTooLarge(ex)) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(BodySizeLimitFilter.problem(maxBodyBytes));
        }
        Throwable cause = ex.getCause();
        if (cause instanceof InvalidFormatException invalid) {
            String field = path(invalid);
            // a text is refused only for what cannot be stored (StorableText), which the answer had better not echo
            String message = invalid.getTargetType() == String.class
                    ? String.valueOf(StorableText.problem(String.valueOf(invalid.getValue())))
                    : invalid.getTargetType() != null && invalid.getTargetType().isEnum()
                    ? shown(invalid.getValue()) + " is not one of "
                            + Arrays.toString(invalid.getTargetType().getEnumConstants())
                    : isWholeNumber(invalid.getTargetType()) && invalid.getValue() instanceof Number
                    // 5e1 and 50.0 arrive as the double 50.0: "not a whole number" would be untrue of them
                    ? "must be a whole number written without a fraction or exponent, such as 60; got "
                            + invalid.getValue()
                    : shown(invalid.getValue()) + " is not " + expected(invalid.getTargetType());
            return ResponseEntity.badRequest().body(Problems.invalidFields(field + ": " + message,
                    List.of(Problems.fieldError(field, message))));
        }
        if (cause instanceof MismatchedInputException mismatched && mismatched.getPath().isEmpty()) {
            // an array, a number or a second object where the body's one object belongs
            return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "malformed-json",
                    "Malformed request body", "malformed JSON: the body must be one JSON object, and nothing after it"));
        }
        if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
            String field = path(mismatched);
            String message = "has the wrong type; expected " + expected(mismatched.getTargetType());
            return ResponseEntity.badRequest().body(Problems.invalidFields(field + " " + message,
                    List.of(Problems.fieldError(field, message))));
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            String message = "is not valid: " + withoutInternals(mapping.getOriginalMessage());
            return ResponseEntity.badRequest().body(Problems.invalidFields(field + " " + message,
                    List.of(Problems.fieldError(field, message))));
        }
        String detail = cause instanceof JsonProcessingException json
                ? "malformed JSON: " + withoutInternals(json.getOriginalMessage())
                : "the request body is missing or not readable JSON";
        return ResponseEntity.badRequest()
                .body(Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed request body", detail));
    }

    /**
     * Jackson's message without what only its own code means: the Java types it was reading into and the switches
     * that would have allowed the input ({@code `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`}).
     */
    static String withoutInternals(String message) {
        return message.replaceAll(":? ?enable `[^`]*` to allow", "")
                .replaceAll("\\s*\\[Source: [^\\]]*\\]", "")
                .replaceAll("`[\\w$]+(\\.[\\w$]+)+`", "a value");
    }

    /** A refused value as the answer quotes it: its start only when it is long (a body may be 64 KB of one value). */
    private static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() <= SHOWN_CHARACTERS ? "'" + text + "'"
                : "'" + text.substring(0, SHOWN_CHARACTERS) + "...' (" + text.length() + " characters)";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** What api.md gives for a field of this type, as a client writes it. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type == BigDecimal.class) {
            return "a decimal string such as \"1250.00\", of at most 18 digits before the point and 8 after it";
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant string such as \"2024-05-01T00:00:00Z\"";
        }
        if (type == LocalDate.class) {
            return "an ISO-8601 date string such as \"2024-05-01\"";
        }
        if (type == String.class) {
            return "a string";
        }
        if (isWholeNumber(type)) {
            return "a whole number";
        }
        return "a valid " + type.getSimpleName();
    }

    private static boolean isWholeNumber(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class;
    }
}
